package io.arbiter.compat.seata25;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.TccParticipant;
import io.arbiter.compat.server.ArbiterEndpoint;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.exception.TransactionExceptionCode;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalLockConfig;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.core.model.Resource;
import org.apache.seata.core.protocol.Version;
import org.apache.seata.integration.tx.api.util.ProxyUtil;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.rm.GlobalLockExecutor;
import org.apache.seata.rm.GlobalLockTemplate;
import org.apache.seata.rm.RMClient;
import org.apache.seata.rm.datasource.DataSourceProxy;
import org.apache.seata.rm.datasource.exec.LockConflictException;
import org.apache.seata.rm.datasource.exec.LockWaitTimeoutException;
import org.apache.seata.rm.datasource.xa.DataSourceProxyXA;
import org.apache.seata.saga.rm.SagaResource;
import org.apache.seata.tm.TMClient;
import org.apache.seata.tm.TransactionManagerHolder;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;

/** {@link CompatClient} on org.apache.seata:seata-all 2.5. */
public final class Seata25Client implements CompatClient {
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

    @Override
    public void bindBranchType(String type) {
        if (type == null) {
            RootContext.unbindBranchType();
        } else {
            RootContext.bindBranchType(BranchType.valueOf(type));
        }
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
