package io.arbiter.replication.ratis;

import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicationException;
import io.arbiter.replication.ReplicationException.Reason;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TransferLeadershipException;

/**
 * Maps a failed Ratis write (or read) to our error types. The deciding fact is whether the entry reached the leader's log
 * ({@code appended}, recorded in {@code preAppendTransaction}): before, every failure means "not applied"; after,
 * leadership loss or close means "maybe applied" ({@link IndeterminateException}). Stateless.
 */
final class ReplyErrors {

    private ReplyErrors() {}

    /**
     * @param reply the reply, or {@code null} if the submission itself failed
     * @param error the submission's exception, or {@code null}
     * @param appended whether the entry was about to be appended to the log
     * @param selfId this replica's id
     * @param knownLeader the leader this replica knows of now, or {@code null}
     */
    static ReplicationException map(
            RaftClientReply reply, Throwable error, boolean appended, String selfId, Supplier<String> knownLeader) {
        Throwable cause = error != null ? unwrap(error) : reply.getException();
        if (cause instanceof StateMachineException) {
            // thrown while building the entry (e.g. over Ratis's size limit), before it was appended
            return new ReplicationException(Reason.FAILED, "entry rejected: " + cause.getMessage(), cause);
        }
        if (appended) {
            return new IndeterminateException(
                    knownLeader.get(),
                    "the entry was appended but this replica lost leadership or closed before it committed: " + cause);
        }
        if (cause instanceof org.apache.ratis.protocol.exceptions.NotLeaderException nle) {
            RaftPeer suggested = nle.getSuggestedLeader();
            String hint = suggested != null && !suggested.getId().toString().equals(selfId)
                    ? suggested.getId().toString()
                    : knownLeader.get();
            return new NotLeaderException(hint);
        }
        if (cause instanceof LeaderNotReadyException) {
            return new NotLeaderException(selfId); // elected, first entry not yet committed: retry here shortly
        }
        if (cause instanceof LeaderSteppingDownException || cause instanceof TransferLeadershipException) {
            return new NotLeaderException(null);
        }
        if (cause instanceof ReadException || cause instanceof ReadIndexException) {
            // a read whose leadership check or wait for the applied index failed (leadership lost, or too slow)
            return new NotLeaderException(knownLeader.get());
        }
        if (cause instanceof ResourceUnavailableException) {
            return new ReplicationException(Reason.OVERLOADED, "leader's pending-request limit reached", cause);
        }
        if (cause instanceof AlreadyClosedException || cause instanceof ServerNotReadyException) {
            return new ReplicationException(Reason.CLOSED, "replica is not running", cause);
        }
        return new ReplicationException(Reason.FAILED, "request failed: " + cause, cause);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
