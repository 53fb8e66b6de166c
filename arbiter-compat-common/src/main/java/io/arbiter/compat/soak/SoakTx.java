package io.arbiter.compat.soak;

import io.arbiter.compat.ha.TxRecord;

/**
 * One transaction of the soak's {@link MixedLoad}, as the application saw it. Times are {@link System#nanoTime()}
 * values.
 *
 * @param kind    AT or XA (a sale in PostgreSQL), TCC (two TCC branches)
 * @param worker  the worker thread that ran it
 * @param xid     the XID the begin returned, or null if the begin failed
 * @param tag     the TCC tag (its key in the TCC ledger), or the order id for AT and XA
 * @param startNs when the application started it (before the begin)
 * @param begunNs when the begin returned (0 if it failed)
 * @param endNs   when the commit or rollback returned, or the transaction failed
 * @param ending  what the application was told
 * @param stage   where it failed ({@code begin}, {@code business}, {@code rollback}, {@code commit},
 *                {@code status}); null if it did not
 * @param status  the global status the commit or rollback left locally, or null
 * @param error   the exception chain or a bad status; null if none
 */
public record SoakTx(
        TxRecord.Kind kind,
        int worker,
        String xid,
        String tag,
        long startNs,
        long begunNs,
        long endNs,
        Ending ending,
        String stage,
        String status,
        String error) {

    /** What the application was told. */
    public enum Ending {
        /** The commit returned with a committed status. */
        COMMITTED,
        /** The application rolled it back on purpose and the rollback returned with a rolled-back status. */
        ROLLED_BACK,
        /** An exception, or a status that is neither: the application failed. */
        FAILED
    }

    /**
     * Whether the application asked the TC to commit. When it did not (a rollback, or a failure before the commit)
     * the only right outcome is a rollback; when it did and then failed, either outcome is right.
     */
    public boolean commitAsked() {
        return ending == Ending.COMMITTED || "commit".equals(stage) || "status".equals(stage);
    }

    public long latencyNs() {
        return endNs - startNs;
    }

    /** The same transaction as the failover checks record it (a rollback counts as "not committed"). */
    public TxRecord toTxRecord() {
        return new TxRecord(
                kind,
                worker,
                xid,
                tag,
                startNs,
                begunNs,
                endNs,
                ending == Ending.COMMITTED ? TxRecord.Outcome.COMMITTED : TxRecord.Outcome.FAILED,
                stage,
                status,
                error);
    }
}
