package io.arbiter.compat.client;

import io.arbiter.compat.server.ArbiterEndpoint;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/**
 * What the scenarios need from a Seata client, implemented once per client line. Statuses are the names of
 * Seata's {@code GlobalStatus} constants ({@code "Begin"}, {@code "Committed"}, {@code "Finished"}...), which are the
 * same in every line.
 *
 * <p>Seata clients keep their configuration in static state, so {@link #init} may be called once per JVM: one
 * test class per JVM (surefire {@code reuseForks=false}).
 */
public interface CompatClient {
    /** The client library's version, e.g. {@code "2.5.0"}. */
    String clientVersion();

    /**
     * Configures the client through system properties ({@link ClientSettings#systemProperties}) and starts its TM and
     * RM against {@code tc} with {@link ClientSettings#APPLICATION_ID} and {@link ClientSettings#TX_GROUP}.
     */
    void init(ArbiterEndpoint tc);

    /** Begins a global transaction (bound to the calling thread, like {@code GlobalTransaction.begin}). */
    GlobalTx begin(String name, int timeoutMillis) throws Exception;

    /**
     * A handle on an existing XID ({@code GlobalTransactionContext.reload}): commit / rollback / status of a
     * transaction this thread did not begin, or of one that does not exist.
     */
    GlobalTx reload(String xid) throws Exception;

    /** The TC's answer to a GlobalStatusRequest from the TM. */
    String status(String xid) throws Exception;

    /** Registers a SAGA branch on {@code xid} for the resource {@code applicationId#txGroup}; returns its id. */
    long registerSagaBranch(String xid) throws Exception;

    /** The TC's answer to a GlobalLockQueryRequest (AT) sent by the RM: true when the keys are free for xid. */
    boolean lockQuery(String resourceId, String xid, String lockKeys) throws Exception;

    /** The TCC participant (two actions, registered as TCC resources when the client was initialised). */
    TccParticipant tcc();

    /** Wraps a DataSource in the client's AT proxy ({@code DataSourceProxy}); registers the resource. */
    DataSource atDataSource(DataSource raw);

    /** Wraps a DataSource in the client's XA proxy ({@code DataSourceProxyXA}); registers the resource. */
    DataSource xaDataSource(DataSource raw);

    /** The resource id a proxy registered (for lock queries). */
    String resourceId(DataSource proxy);

    /**
     * Runs {@code body} in the client's global-lock mode ({@code @GlobalLock} semantics via
     * {@code GlobalLockTemplate}): AT statements in it check the TC's row locks, retrying as configured here.
     */
    <T> T underGlobalLock(int retryIntervalMillis, int retryTimes, Callable<T> body) throws Exception;

    /** Whether {@code t} (or a cause) is the client's lock conflict / global lock wait timeout. */
    boolean isLockConflict(Throwable t);

    /** The XID bound to the calling thread, or null. */
    String boundXid();

    /** Binds an XID to the calling thread, as a participant that received it over RPC would. */
    void bind(String xid);

    /** Unbinds any XID from the calling thread. */
    void unbind();

    /**
     * Binds the branch type ({@code "AT"} or {@code "XA"}) that the data source proxies use for the calling thread's
     * transaction ({@code RootContext.bindBranchType}); null unbinds it. An application with both an AT and an XA
     * proxy must: each proxy sets the JVM-wide default branch type when it is made, so the last one made wins and
     * the other proxy's statements run without a branch. Client lines the mixed soak does not use need not support
     * it.
     */
    default void bindBranchType(String type) {
        throw new UnsupportedOperationException("this client line does not bind branch types");
    }

    /** A global transaction begun through {@link #begin}. */
    interface GlobalTx {
        String xid();

        /** {@code GlobalTransaction.commit()}, then the status it left locally ({@code getLocalStatus}). */
        String commit() throws Exception;

        /** {@code GlobalTransaction.rollback()}, then the local status. */
        String rollback() throws Exception;

        /** {@code GlobalTransaction.globalReport(status)}, then the local status (the TC's answer). */
        String report(String status) throws Exception;

        /** {@code GlobalTransaction.getStatus()}: asks the TC. */
        String status() throws Exception;

        /** Unbinds this transaction from the calling thread (it stays open at the TC). */
        void suspend() throws Exception;
    }
}
