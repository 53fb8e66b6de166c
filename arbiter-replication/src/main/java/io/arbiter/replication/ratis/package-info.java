/**
 * The {@link io.arbiter.replication.ReplicaGroup} implementation on Apache Ratis 3.3 (Netty transport, with a server
 * side of our own: {@link io.arbiter.replication.ratis.AsyncNettyServerRpc}), many groups
 * per node: a {@link io.arbiter.replication.ratis.RatisNode} owns one Ratis server (one Raft port, one storage root
 * with a subfolder per group) hosting any number of Raft groups as Ratis divisions, each with its
 * {@link io.arbiter.replication.ratis.RatisReplicaGroup}; the public {@code RatisReplicaGroup} constructor still
 * gives a single group on a private node. Also here: batching of commands into log entries, the Ratis state
 * machine adapter, asynchronous snapshots, membership and the Ratis settings. No Ratis type leaves this package.
 *
 * <p>Threading rule: no group has a thread of its own. A node's own threads are fixed
 * ({@link io.arbiter.replication.ratis.NodeExecutors}): one scheduler (ticks, periodic snapshots, view refreshes and
 * listeners, admin decisions; short, non-blocking tasks), {@value io.arbiter.replication.ratis.NodeExecutors#WORKERS}
 * workers (batcher drains, apply fall-back; CPU only) and up to
 * {@value io.arbiter.replication.ratis.NodeExecutors#IO_MAX} I/O threads on demand (snapshot writes, blocking admin calls, group add/remove). What grows with the groups is
 * only Ratis's per-division threads (log worker, state-machine updater, cache eviction, follower timer or leader
 * event processor and appenders; see {@code ThreadsPerGroupTest}). A task on a shared executor must not wait for
 * another task of the same executor.
 *
 * <p>The wrapped {@link io.arbiter.replication.ReplicatedStateMachine} is called one call at a time, in log order,
 * through the group's {@link io.arbiter.replication.ratis.ApplyLoop} (a
 * {@link io.arbiter.replication.ratis.SerialRunner}): Ratis's updater thread decodes each entry and applies it
 * itself when nothing is queued, otherwise queues it behind the role change or snapshot capture in progress, which
 * a node worker runs. Proposal futures complete on the thread that applied (or failed) the entry. Each class
 * documents which thread runs which of its methods; state shared between threads is volatile, atomic or in
 * concurrent collections, never guarded by locks held across calls into Ratis or the state machine.
 *
 * <h2>Membership</h2>
 * <ul>
 *   <li>{@code changePeers} is a Ratis {@code setConfiguration} ("set unconditionally"),
 *       {@code transferLeadership} a Ratis {@code transferLeadership}; both go to the leader the replica knows of,
 *       in-process or over Ratis's client RPC on the leader's replication port (no other port is needed), and are
 *       sent again while leadership moves ({@link io.arbiter.replication.ratis.AdminRequests}).</li>
 *   <li>Joining mode starts Ratis with an empty configuration: Ratis then runs the replica without an election
 *       timer until an append from the leader carries a configuration that lists it.</li>
 *   <li>A removed replica is shut down by Ratis itself (a removed leader after committing the change, a removed
 *       follower at its next election timeout); {@link io.arbiter.replication.ratis.GroupViewTracker} reports it as
 *       {@code member=false}.</li>
 * </ul>
 *
 * <h2>Losing the majority</h2>
 * With the reference election timeouts (1 s / 2 s): Ratis's leader checks, whenever its event queue is idle for one
 * maximum timeout, that a majority answered within that timeout, and otherwise steps down, failing its pending
 * entries (they become {@code IndeterminateException}s) and refusing new ones ({@code NotLeaderException}). The
 * bounded proposal window ({@code maxOutstandingEntries}) guarantees the idleness: entries that cannot commit stop
 * new appends. Measured on loopback: a leader whose two followers stopped stepped down after 2.6 s, and every
 * proposal made to it failed within 2.7 s. After such a step-down the old leader waits 10 s before it campaigns
 * again (Ratis's default, kept on purpose: see RatisProperties), with pre-vote on. The safety net on our side:
 * every entry fails about one election timeout after its replica stopped leading in the entry's term, and never
 * later than {@code commitTimeout} (InFlightBatches#expire, checked every 100 ms).
 *
 * <h2>Ratis behaviours worked around</h2>
 * <ul>
 *   <li>Ratis checks a new peer's progress (and fails a change to an unreachable peer) only when its leader is idle,
 *       so under steady load such a change would hang and block every later change. A change that adds peers first
 *       checks that their replication ports accept connections (for 3 election timeouts).</li>
 *   <li>A leader that removed itself closes while holding its lock and waits for its request executor, in which a
 *       request waiting for that lock never finishes. Entries are therefore submitted to the division directly (on
 *       the batcher's drain), and in-process admin requests run on the node's I/O executor.</li>
 *   <li>Ratis does not answer every request of a division it shuts down; an entry's window slot is freed when the
 *       entry is applied, failed or expired, not only when Ratis answers.</li>
 *   <li>Ratis does not complete the log writes still queued when a division closes, and its Netty server waits for
 *       each request on the event loop that read it: an append to a replica dropped meanwhile left one of a node's
 *       event loops (and every connection on it) blocked for good, and a follower handled the appends of all groups
 *       that came over one connection one at a time. The server side of the transport is therefore ours
 *       ({@link io.arbiter.replication.ratis.AsyncNettyServerRpc}, answering when the request's future completes);
 *       Ratis's Netty client and peer proxies are used as they are.</li>
 *   <li>Ratis counts a new peer as caught up only once an append to it succeeds, and as making progress whenever it
 *       answers, whatever it answers; until then its leader refuses every other change and every leadership
 *       transfer. A new peer that already holds the whole log of an idle group (it got it during a failed earlier
 *       attempt of the same add) answers the first append "inconsistent" and then gets heartbeats only, for ever:
 *       a leader whose log stood still for a second while it catches a new peer up appends an empty entry
 *       ({@code RatisReplicaGroup#nudgeNewPeers}). Whatever else holds a change in staging, a change that failed
 *       while its leader may still hold it makes that leader step down ({@code AdminRequests#abandoned}; Ratis does
 *       not refuse a step-down during a change).</li>
 * </ul>
 *
 * <h2>Logs</h2>
 * At its default levels Ratis writes hundreds of INFO lines per group, and while a peer is down about four WARN and
 * ERROR lines per second with stack traces (each failed reconnection). The server should include
 * {@code io/arbiter/replication/ratis/logback-included.xml} from this jar in its {@code logback.xml}:
 * <pre>{@code
 * <configuration>
 *   ...
 *   <include resource="io/arbiter/replication/ratis/logback-included.xml"/>
 * </configuration>
 * }</pre>
 * or copy its four lines:
 * <pre>{@code
 * <logger name="org.apache.ratis" level="WARN"/>
 * <logger name="org.apache.ratis.util.LifeCycle" level="OFF"/>
 * <logger name="org.apache.ratis.server.leader.LogAppender" level="ERROR"/>
 * <logger name="io.arbiter.replication" level="INFO"/>
 * }</pre>
 * What remains at WARN is rare and worth reading: a leader that lost its majority ("Lost leadership on term"), a
 * rejected leader ("Failed to recognize ... as leader"), a refused transfer or membership change.
 */
package io.arbiter.replication.ratis;
