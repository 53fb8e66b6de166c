package io.arbiter.compat.ha;

/**
 * One application transaction of the {@link Workload}, as the application saw it. Times are
 * {@link System#nanoTime()} values.
 *
 * @param kind     AT (a sale in PostgreSQL), TCC (two TCC branches) or XA (a sale in PostgreSQL's prepared
 *                 transactions, the soak's third mode)
 * @param worker   the worker thread that ran it
 * @param xid      the XID the begin returned, or null if the begin failed
 * @param tag      the TCC tag (the key of its calls in the TCC ledger), or the order id for AT
 * @param startNs  when the application started the transaction (before the begin)
 * @param begunNs  when the begin returned (0 if it failed)
 * @param endNs    when the commit returned or the transaction failed
 * @param outcome  what the application was told
 * @param stage    where it failed: begin, business (branch register / local work), commit, status; null if not
 * @param status   the global status the commit left locally (Committed, AsyncCommitting...), or null
 * @param error    the exception chain ({@code Class: message <- cause ...}), or a bad status; null if none
 */
public record TxRecord(
        Kind kind,
        int worker,
        String xid,
        String tag,
        long startNs,
        long begunNs,
        long endNs,
        Outcome outcome,
        String stage,
        String status,
        String error) {

    /** What kind of transaction. */
    public enum Kind {
        AT,
        TCC,
        XA
    }

    /** What the application was told. */
    public enum Outcome {
        /** The commit returned normally with a committed status: the application considers it done. */
        COMMITTED,
        /** An exception (or a status such as Finished / TimeoutRollbacked after commit): the application failed. */
        FAILED
    }

    public boolean committed() {
        return outcome == Outcome.COMMITTED;
    }

    public long latencyNs() {
        return endNs - startNs;
    }
}
