/**
 * The replication SPI: a replicated group of replicas ({@link io.arbiter.replication.ReplicaGroup}) that drives an
 * application state machine ({@link io.arbiter.replication.ReplicatedStateMachine}) with opaque commands, plus its
 * configuration, membership and error types. Nothing here names a Raft library; implementations live in sub-packages
 * ({@code ratis} for the real one, {@code memory} for tests of other modules).
 *
 * <p>Threading rule: every call into a {@link io.arbiter.replication.ReplicatedStateMachine} ({@code apply},
 * {@code query}, {@code snapshot}, {@code restore}, {@code onRoleChange}) is made one at a time, in log order, each after the
 * previous one (happens-before), so a state machine needs no locks; the calls are not always on the same thread (the
 * Ratis group applies an entry on Ratis's updater thread when nothing else is queued). A
 * {@link io.arbiter.replication.SnapshotWriter} runs on another thread and must only read the view captured for it.
 * {@link io.arbiter.replication.ReplicaGroup#propose} may be called from any thread and never blocks; its futures
 * complete on the thread that applied (or failed) the proposal, so callers must not block in dependent stages (use
 * the {@code *Async} variants for slow work). {@link
 * io.arbiter.replication.GroupListener}s are called on a replication-owned thread, one at a time, in version order.
 *
 * <h2>Reads</h2>
 * {@link io.arbiter.replication.ReplicaGroup#query} answers a read on the leader without a log entry, linearizably:
 * after the leader confirmed it still leads (Ratis: leader lease, else a heartbeat round) and applied everything
 * committed before the read was asked. A follower refuses it like a proposal ({@code NotLeaderException}).
 *
 * <h2>Membership and leadership</h2>
 * Every replica, follower or leader, knows the group's committed configuration
 * ({@link io.arbiter.replication.ReplicaGroup#peers()}), the leader ({@code leaderId()}) and the term
 * ({@code term()}); {@link io.arbiter.replication.ReplicaGroup#view()} gives all of it as one
 * {@link io.arbiter.replication.GroupView} with a version, and listeners hear every change (the server's cluster
 * view builds its long polls on them).
 * {@link io.arbiter.replication.ReplicaGroup#changePeers} and
 * {@link io.arbiter.replication.ReplicaGroup#transferLeadership} may be called on any running member; they are
 * forwarded to the leader. {@link io.arbiter.replication.ReplicaGroupConfig#peers()} is only the initial
 * membership: committed changes are stored with the log, and a restart recovers them from there.
 *
 * <h2>Adding a node</h2>
 * <ol>
 *   <li>Start the new replica in joining mode, on an empty storage directory:
 *       {@code ReplicaGroupConfig.builder(group, "n4", dir).peers(List.of(n4)).joining(true).build()}, then
 *       {@code start()}. Its own entry in {@code peers} gives its address; listing the current members too is
 *       harmless. It never campaigns, so it neither elects itself leader of a group of its own nor disturbs the
 *       existing one; its view says {@code member=false}, {@code peers=[]}, and proposals on it fail with
 *       {@code NotLeaderException}.</li>
 *   <li>On any existing member (not on the new replica, which knows no leader yet), call
 *       {@code changePeers(current peers + n4)}. The leader first brings n4 up to date (log entries, or its latest
 *       snapshot when the log was purged), then commits the new configuration through joint consensus; the future
 *       completes when that is committed. Proposals go on meanwhile.</li>
 *   <li>Add one node per change: a change that would make new nodes a majority of the new configuration is
 *       rejected (e.g. 1 to 3 nodes at once; 1 to 2, then 2 to 3 works).</li>
 *   <li>If it fails ({@code FAILED}: the new node did not answer or catch up), nothing changed; the new replica may
 *       have stopped itself (it saw a configuration without itself): close it, and start it again before retrying.
 *       A change that timed out ({@code INDETERMINATE}) may still complete: look at {@code peers()}, or call
 *       {@code changePeers} again with the same list (a configuration already in place completes at once).</li>
 * </ol>
 * The new node's configuration may keep {@code joining(true)} for later restarts: once its storage holds a
 * configuration, that one is used.
 *
 * <h2>Removing a node</h2>
 * Call {@code changePeers(peers without it)} on any member, the leaving node and the leader included. A removed
 * leader hands over after the change commits (its in-flight proposals fail as on any leader change, and
 * {@code onRoleChange(false, ..)} follows); a removed replica stops replicating within about an election timeout:
 * its view says {@code member=false}, {@code isLeader()} is false and proposals on it fail with {@code CLOSED}. Then
 * {@code close()} it. To add it back later, delete its storage (or keep it) and follow "adding a node". To replace a
 * dead node, remove it first, then add the new one: a group must keep a majority of its configuration running
 * throughout.
 */
package io.arbiter.replication;
