package io.arbiter.compat.seata20;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.TccParticipant;
import io.arbiter.compat.server.ArbiterEndpoint;
import io.seata.core.context.RootContext;
import io.seata.core.exception.TransactionException;
import io.seata.core.exception.TransactionExceptionCode;
import io.seata.core.model.BranchType;
import io.seata.core.model.GlobalLockConfig;
import io.seata.core.model.GlobalStatus;
import io.seata.core.model.Resource;
import io.seata.core.protocol.Version;
import io.seata.integration.tx.api.util.ProxyUtil;
import io.seata.rm.DefaultResourceManager;
import io.seata.rm.GlobalLockExecutor;
import io.seata.rm.GlobalLockTemplate;
import io.seata.rm.RMClient;
import io.seata.rm.datasource.DataSourceProxy;
import io.seata.rm.datasource.exec.LockConflictException;
import io.seata.rm.datasource.exec.LockWaitTimeoutException;
import io.seata.rm.datasource.xa.DataSourceProxyXA;
import io.seata.saga.rm.SagaResource;
import io.seata.tm.TMClient;
import io.seata.tm.TransactionManagerHolder;
import io.seata.tm.api.GlobalTransaction;
import io.seata.tm.api.GlobalTransactionContext;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/** {@link CompatClient} on io.seata:seata-all 2.0. */
public final class Seata20Client implements CompatClient {
    private static final String SAGA_RESOURCE = ClientSettings.APPLICATION_ID + "#" + ClientSettings.TX_GROUP;
    private static TccParticipant tcc;

    @Override
    public String clientVersion() {
        return Version.getCurrent();
    }

    @Override
    public synchronized void init(ArbiterEndpoint tc) {
        if (tcc != null) {
            throw new IllegalStateException("a Seata client is initialised once per JVM");
        }
        ClientSettings.apply(tc);
        TMClient.init(ClientSettings.APPLICATION_ID, ClientSettings.TX_GROUP);
        RMClient.init(ClientSettings.APPLICATION_ID, ClientSettings.TX_GROUP);
        CompatTccAction action = ProxyUtil.createProxy(new CompatTccActionImpl());
        tcc = new TccParticipant() {
            @Override
            public void tryA(String tag) {
                action.tryA(null, tag);
            }

            @Override
            public void tryB(String tag) {
                action.tryB(null, tag);
            }
        };
        SagaResource saga = new SagaResource();
        saga.setApplicationId(ClientSettings.APPLICATION_ID);
        saga.setResourceGroupId(ClientSettings.TX_GROUP);
        DefaultResourceManager.get().registerResource(saga);
    }

    @Override
    public GlobalTx begin(String name, int timeoutMillis) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(timeoutMillis, name);
        return new Tx(tx);
    }

    @Override
    public GlobalTx reload(String xid) throws Exception {
        return new Tx(GlobalTransactionContext.reload(xid));
    }

    @Override
    public String status(String xid) throws Exception {
        return TransactionManagerHolder.get().getStatus(xid).name();
    }

    @Override
    public long registerSagaBranch(String xid) throws Exception {
        return DefaultResourceManager.get().branchRegister(BranchType.SAGA, SAGA_RESOURCE, null, xid, null, null);
    }

    @Override
    public boolean lockQuery(String resourceId, String xid, String lockKeys) throws Exception {
        // the AT resource manager sends lock queries only in a global transaction or global-lock context
        boolean flagged = !RootContext.inGlobalTransaction() && !RootContext.requireGlobalLock();
        if (flagged) {
            RootContext.bindGlobalLockFlag();
        }
        try {
            return DefaultResourceManager.get().lockQuery(BranchType.AT, resourceId, xid, lockKeys);
        } finally {
            if (flagged) {
                RootContext.unbindGlobalLockFlag();
            }
        }
    }

    @Override
    public TccParticipant tcc() {
        return tcc;
    }

    @Override
    public DataSource atDataSource(DataSource raw) {
        return new DataSourceProxy(raw);
    }

    @Override
    public DataSource xaDataSource(DataSource raw) {
        return new DataSourceProxyXA(raw);
    }

    @Override
    public String resourceId(DataSource proxy) {
        return ((Resource) proxy).getResourceId();
    }

    @Override
    public <T> T underGlobalLock(int retryIntervalMillis, int retryTimes, Callable<T> body) throws Exception {
        GlobalLockConfig config = new GlobalLockConfig();
        config.setLockRetryInterval(retryIntervalMillis);
        config.setLockRetryTimes(retryTimes);
        try {
            @SuppressWarnings("unchecked")
            T result = (T) new GlobalLockTemplate().execute(new GlobalLockExecutor() {
                @Override
                public Object execute() throws Throwable {
                    return body.call();
                }

                @Override
                public GlobalLockConfig getGlobalLockConfig() {
                    return config;
                }
            });
            return result;
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public boolean isLockConflict(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof LockConflictException || c instanceof LockWaitTimeoutException) {
                return true;
            }
            if (c instanceof TransactionException te
                    && (te.getCode() == TransactionExceptionCode.LockKeyConflict
                            || te.getCode() == TransactionExceptionCode.LockKeyConflictFailFast)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String boundXid() {
        return RootContext.getXID();
    }

    @Override
    public void bind(String xid) {
        RootContext.bind(xid);
    }

    @Override
    public void unbind() {
        RootContext.unbind();
    }

    private static final class Tx implements GlobalTx {
        private final GlobalTransaction tx;

        Tx(GlobalTransaction tx) {
            this.tx = tx;
        }

        @Override
        public String xid() {
            return tx.getXid();
        }

        @Override
        public String commit() throws Exception {
            tx.commit();
            return tx.getLocalStatus().name();
        }

        @Override
        public String rollback() throws Exception {
            tx.rollback();
            return tx.getLocalStatus().name();
        }

        @Override
        public String report(String status) throws Exception {
            tx.globalReport(GlobalStatus.valueOf(status));
            return tx.getLocalStatus().name();
        }

        @Override
        public String status() throws Exception {
            return tx.getStatus().name();
        }

        @Override
        public void suspend() throws Exception {
            tx.suspend(true);
        }
    }
}
