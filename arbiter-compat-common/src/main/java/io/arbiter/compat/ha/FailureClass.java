package io.arbiter.compat.ha;

import java.util.Locale;

/**
 * Why an application transaction failed during a failover, told apart by what the client reported (see
 * docs/RELIABILITY.md for the client and server code behind each class).
 */
public enum FailureClass {
    /**
     * The client sent a request to a node that was down (it keeps a killed node in its list until its reconnect
     * timer, every 10 s, drops it; with the raft registry, until its metadata names a live node) and failed at
     * once: "can not connect to services-server".
     */
    CLIENT_SENT_TO_DOWN_NODE("client: request sent to a node that was down, failed at once"),
    /**
     * A request was in flight on the connection to the killed node. Seata's client does not fail such requests
     * when the connection closes; they wait for the RPC timeout (TM 30 s, RM 15 s), then the begin or branch
     * register fails, or the commit is retried and finds the transaction already finished.
     */
    CLIENT_WAITED_FOR_TIMEOUT("client: request in flight to the killed node, waited for the RPC timeout"),
    /**
     * A request was on its way on the connection to the killed node when that connection closed, and the client
     * failed it at once (the 2.5 client does so when its write finds the channel closed: {@code
     * ClosedChannelException}). Explained only if it ended right after a kill ({@link #endedRightAfterKill}).
     */
    CLIENT_CONNECTION_CLOSED_BY_KILL("client: request on the connection to the killed node, failed when it closed"),
    /**
     * An AT sale gave up waiting for a row lock (Seata's lock retry, 30 × 10 ms): the row was held by another AT
     * transaction whose own request was in flight to the killed node ({@link #CLIENT_WAITED_FOR_TIMEOUT}); its locks
     * stay until its client's retried commit or the TC's timeout ends it. Explained only if such a transaction was
     * open at that moment ({@link #lockHolderWasWaiting}).
     */
    CLIENT_LOCK_HELD_BY_WAITING_TX("client: row lock held by another transaction waiting for an RPC timeout"),
    /**
     * A commit answered Finished quickly: the transaction was not live on the leader. Before the core remembered
     * ended transactions this happened when the old leader committed (phase two included) and died before
     * answering and the commit was retried on the new leader; it is a server fault now.
     */
    SERVER_COMMIT_ANSWERED_FINISHED("server: commit retried on the new leader answered Finished (already done)"),
    /** Anything else: not explained by the above, a failure the test does not expect. */
    OTHER("other");

    private static final long TIMEOUT_NS = 14_000_000_000L;
    private final String description;

    FailureClass(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** True for the failures Seata's client causes by itself (explained in docs/RELIABILITY.md), false for ours. */
    public boolean clientSide() {
        return this == CLIENT_SENT_TO_DOWN_NODE
                || this == CLIENT_WAITED_FOR_TIMEOUT
                || this == CLIENT_CONNECTION_CLOSED_BY_KILL
                || this == CLIENT_LOCK_HELD_BY_WAITING_TX;
    }

    /**
     * For a {@link #CLIENT_LOCK_HELD_BY_WAITING_TX} failure: whether some AT transaction that waited for a client
     * RPC timeout was open when this one failed (the only explanation the tests accept for a lock wait timeout).
     * Waiting means lasting at least the shortest client RPC timeout, whatever the transaction's end: it may fail
     * as {@link #CLIENT_WAITED_FOR_TIMEOUT}, fail on its retry to a dead node ({@link #CLIENT_SENT_TO_DOWN_NODE}),
     * or commit on its retry to a live one.
     */
    public static boolean lockHolderWasWaiting(TxRecord r, java.util.List<TxRecord> all) {
        return all.stream()
                .anyMatch(o -> o != r
                        && o.kind() == TxRecord.Kind.AT
                        && o.latencyNs() >= TIMEOUT_NS
                        && o.startNs() <= r.endNs()
                        && o.endNs() >= r.endNs());
    }

    /** Longest time from a kill to a failure it explains as {@link #CLIENT_CONNECTION_CLOSED_BY_KILL}. */
    private static final long CLOSED_BY_KILL_NS = 1_000_000_000L;

    /**
     * For a {@link #CLIENT_CONNECTION_CLOSED_BY_KILL} failure: whether it ended within a second after one of the
     * kills (nanoTime of each), i.e. the closed connection was the killed node's.
     */
    public static boolean endedRightAfterKill(TxRecord r, java.util.List<Long> killsNs) {
        return killsNs.stream().anyMatch(k -> r.endNs() >= k && r.endNs() - k <= CLOSED_BY_KILL_NS);
    }

    /**
     * Whether the failure of {@code r} is explained by the Seata client alone: a {@linkplain #clientSide client-side}
     * class whose context holds too — a lock wait timeout needs a holder that waited for a client timeout
     * ({@link #lockHolderWasWaiting}), a closed connection needs a kill right before it ({@link #endedRightAfterKill}).
     *
     * @param all     every transaction of the run
     * @param killsNs the nanoTime of each kill
     */
    public static boolean explained(TxRecord r, java.util.List<TxRecord> all, java.util.List<Long> killsNs) {
        FailureClass c = of(r);
        if (c == null || !c.clientSide()) {
            return false;
        }
        return switch (c) {
            case CLIENT_LOCK_HELD_BY_WAITING_TX -> lockHolderWasWaiting(r, all);
            case CLIENT_CONNECTION_CLOSED_BY_KILL -> endedRightAfterKill(r, killsNs);
            default -> true;
        };
    }

    /** The class of a failed transaction; null for a committed one. */
    public static FailureClass of(TxRecord r) {
        if (r.committed()) {
            return null;
        }
        String error = r.error() == null ? "" : r.error().toLowerCase(Locale.ROOT);
        boolean finished = "Finished".equals(r.status());
        if (r.latencyNs() >= TIMEOUT_NS && (finished || error.contains("timeout"))) {
            return CLIENT_WAITED_FOR_TIMEOUT;
        }
        if (error.contains("can not connect to services-server")
                || error.contains("can not register rm")
                || error.contains("can not connect to [")
                || error.contains("noavailableservice")
                || error.contains("is unreachable")) {
            return CLIENT_SENT_TO_DOWN_NODE;
        }
        if (error.contains("closedchannelexception")) {
            return CLIENT_CONNECTION_CLOSED_BY_KILL;
        }
        if (error.contains("global lock wait timeout")) {
            return CLIENT_LOCK_HELD_BY_WAITING_TX;
        }
        if (finished) {
            return SERVER_COMMIT_ANSWERED_FINISHED;
        }
        return OTHER;
    }
}
