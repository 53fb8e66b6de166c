package io.arbiter.server.routing;

import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicationException;
import java.util.concurrent.CompletionException;

/** Which replication failures mean "this replica does not lead (any more): try the fragment's leader again". */
public final class Leadership {
    private Leadership() {}

    /**
     * Not the leader, lost leadership with the outcome unknown, or the replica closed: a retry with the same request
     * id on the current leader is safe and applies the command at most once.
     */
    public static boolean isLost(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof NotLeaderException
                || cause instanceof IndeterminateException
                || cause instanceof ReplicationException r && r.reason() == ReplicationException.Reason.CLOSED;
    }

    public static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
