package io.arbiter.bench.load;

import io.seata.core.context.RootContext;
import io.seata.core.model.GlobalStatus;
import io.seata.tm.api.GlobalTransaction;
import io.seata.tm.api.GlobalTransactionContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Seata 2.0 TM API as every workload uses it: begin, a body, then commit (or rollback on failure). The status
 * the TC answered is checked the way Seata's {@code TransactionalTemplate} does: a commit that ends in a timeout
 * rollback or in {@code Finished} is a failure.
 */
final class GlobalTx {
    static final Set<GlobalStatus> COMMITTED = EnumSet.of(
            GlobalStatus.Committed, GlobalStatus.AsyncCommitting, GlobalStatus.Committing, GlobalStatus.CommitRetrying);
    static final Set<GlobalStatus> ROLLED_BACK =
            EnumSet.of(GlobalStatus.Rollbacked, GlobalStatus.Rollbacking, GlobalStatus.RollbackRetrying);

    private GlobalTx() {}

    interface Body {
        void run() throws Exception;
    }

    /** begin, body, commit; on a failure before the commit, rolls back (best effort) and rethrows. */
    static void commit(int timeoutMs, String name, Body body) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        try {
            tx.begin(timeoutMs, name);
            try {
                body.run();
            } catch (Exception | Error e) {
                try {
                    tx.rollback();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            tx.commit();
            GlobalStatus status = tx.getLocalStatus();
            if (!COMMITTED.contains(status)) {
                throw new IllegalStateException("commit of " + tx.getXid() + " ended " + status);
            }
        } finally {
            RootContext.unbind();
        }
    }

    /** begin, body, rollback. */
    static void rollback(int timeoutMs, String name, Body body) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        try {
            tx.begin(timeoutMs, name);
            body.run();
            tx.rollback();
            GlobalStatus status = tx.getLocalStatus();
            if (!ROLLED_BACK.contains(status)) {
                throw new IllegalStateException("rollback of " + tx.getXid() + " ended " + status);
            }
        } finally {
            RootContext.unbind();
        }
    }
}
