package io.arbiter.compat.springsaga;

import io.seata.saga.engine.StateMachineEngine;
import io.seata.saga.engine.config.DbStateMachineConfig;
import io.seata.saga.engine.impl.ProcessCtrlStateMachineEngine;
import io.seata.saga.rm.StateMachineEngineHolder;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Saga application as Seata's documentation builds one in Spring: the state-machine engine on a database-backed
 * configuration (its state log in the application's PostgreSQL), the engine holder through which Seata's saga RM
 * answers the coordinator's phase two, and the services the state machine calls. The engine talks to the coordinator
 * through the client the starter configured ({@code seata.*} properties). The saga classes are the {@code io.seata}
 * ones on every 2.x client: from 2.1 on, the saga RM the client loads is {@code io.seata.saga.rm.SagaResourceManager},
 * which finds the engine in {@code io.seata.saga.rm.StateMachineEngineHolder} (set only the {@code org.apache.seata}
 * holder and its phase two fails with a NullPointerException).
 */
// the io.seata saga API is deprecated from 2.1 on, yet it is the one the client's saga RM uses (see SagaApplication)
@SuppressWarnings("deprecation")
@SpringBootApplication
public class SagaApplication {

    @Bean
    public SagaActions sagaActions() {
        return new SagaActions();
    }

    @Bean
    public DbStateMachineConfig stateMachineConfig(DataSource dataSource) {
        DbStateMachineConfig config = new DbStateMachineConfig();
        config.setDataSource(dataSource);
        config.setResources(new String[] {"classpath:saga/*.json"});
        config.setEnableAsync(false);
        config.setApplicationId("spring-saga");
        config.setTxServiceGroup("shop_tx_group");
        config.setSagaJsonParser("jackson");
        config.setSagaBranchRegisterEnable(true);
        return config;
    }

    @Bean
    public StateMachineEngine stateMachineEngine(DbStateMachineConfig config) {
        ProcessCtrlStateMachineEngine engine = new ProcessCtrlStateMachineEngine();
        engine.setStateMachineConfig(config);
        // a static setter from 2.1 on, a bean property in 2.0 (the same sources serve both): invoked reflectively
        try {
            StateMachineEngineHolder.class
                    .getMethod("setStateMachineEngine", StateMachineEngine.class)
                    .invoke(new StateMachineEngineHolder(), engine);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot hand the engine to Seata's saga RM", e);
        }
        return engine;
    }
}
