package io.arbiter.replication;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One replicated group as seen by its local replica. */
public interface ReplicaGroup extends AutoCloseable {

  /**
   * Proposes a command; completes with the state machine's result for it after it is committed and applied
   * locally. Never blocks the caller. Fails with
   * <ul>
   *   <li>{@link NotLeaderException} (with a leader hint when one is known) when this replica is not the leader; the
   *       command was not applied;</li>
   *   <li>{@link IndeterminateException} when leadership was lost after the command entered the log: it may still be
   *       applied by the new leader, so a retry must be deduplicated by the state machine;</li>
   *   <li>{@link ReplicationException} with another {@link ReplicationException.Reason} (overloaded, closed,
   *       failed).</li>
   * </ul>
   * The future has no time limit of its own; callers that need one add it ({@code orTimeout}).
   */
  CompletableFuture<byte[]> propose(byte[] command);

  /** Whether this replica is the leader and may accept proposals now. */
  boolean isLeader();

  /** The id of the leader this replica knows of, if any (possibly itself). */
  Optional<String> leaderId();

  /** Restores local state (latest snapshot, then the log after it) and joins the group. */
  void start() throws IOException;

  /** Leaves the group and releases its resources; outstanding proposals fail. Idempotent. */
  @Override
  void close();
}
