package io.arbiter.server.sim;

import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import io.arbiter.core.Applied;
import io.arbiter.core.Coordinator;
import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.Xids;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Effect;
import io.arbiter.core.snapshot.SnapshotCodec;
import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.BranchEndRequest;
import io.arbiter.protocol.message.BranchEndResponse;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.BranchReportRequest;
import io.arbiter.protocol.message.BranchRollbackResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalReportRequest;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.SlotMap;
import io.arbiter.server.rpc.ClientSession;
import io.arbiter.server.rpc.PeerTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A seeded, deterministic simulation of the server layer over many fragments (see the package doc). Clients begin
 * transactions on any node, register AT branches whose rows span fragments (over a small pool of rows, so they
 * contend), TCC, XA and Saga branches, report branches, query status and locks, commit, roll back, report Saga
 * outcomes or let transactions time out. Meanwhile fragment leaders die (also right while a branch's locks are being
 * taken, in the transaction's fragment or a lock's), peer messages are lost, duplicated and delayed, replicas lag,
 * and the RMs sometimes fail phase-two calls. After every event the invariants hold:
 * <ol>
 *   <li>no row is held by two live transactions, over all fragments' committed lock state;</li>
 *   <li>a live AT branch whose transaction still holds its locks holds every one of its rows, in the fragment that
 *       owns the row's slot;</li>
 *   <li>a transaction that ended holds no lock in its own fragment, and none anywhere
 *       after the sweeper's bound ({@link #PERIOD_AND_ROUND_MILLIS});</li>
 *   <li>no decision is lost or reversed: a transaction is never both committed and rolled back (statuses, RM calls,
 *       answers to the TM), a commit acknowledged to the TM is never rolled back;</li>
 *   <li>every branch of a transaction that ended Committed / Rollbacked / TimeoutRollbacked through phase two was
 *       committed / rolled back at its RM.</li>
 * </ol>
 * After a quiet period at the end, nothing is live, no lock is left and every replica equals its fragment's committed
 * state. The seed is in every failure message; {@code -Dsim.seed=N} replays one run, {@code -Dsim.runs=N} runs more.
 */
class FragmentSimulationTest {
    /**
     * The sweeper's bound (LOCKS.md, invariant 3, "leaders permitting"): a lock of an ended transaction is gone at the
     * latest {@code PERIOD} (5 s, the sweeper's period) + {@code ROUND} (5 s: one lost or slow round, QueryAlive's own
     * deadline being PERIOD) after the latest of: the end of its transaction, the lock's taking + {@code MIN_AGE}
     * (10 s), and the election of the lock fragment's current leader. Without leader changes: 10 + 5 + 5 s after the
     * end.
     */
    static final long MIN_AGE_MILLIS = 10_000;
    /**
     * How long after a transaction's end a register of it, retried by the gateway, may still take rows in another
     * fragment (re-dating the lock for the sweeper): the RM request deadline at the gateway (12 s), plus the lock
     * call's own deadline (8 s) and one peer attempt (5 s) started just before it.
     */
    static final long LATE_ACQUIRE_MILLIS = 12_000 + 8_000 + 5_000;
    static final long PERIOD_AND_ROUND_MILLIS = 5_000 + 5_000;
    private static final int NODES = 4;
    private static final int FRAGMENTS = 12;
    private static final int REPLICAS = 3;
    private static final long WORKLOAD_MILLIS = 30_000;
    private static final long QUIET_MILLIS = 80_000;
    private static final String RESOURCE = "jdbc:mysql://db/shop";
    private static Level savedLevel;

    @BeforeAll
    static void quiet() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.arbiter");
        savedLevel = root.getLevel();
        root.setLevel(Level.ERROR);
    }

    @AfterAll
    static void restore() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.arbiter")).setLevel(savedLevel);
    }

    @Test
    void serverKeepsTheLockAndDecisionInvariantsUnderFaults() {
        String fixed = System.getProperty("sim.seed");
        int runs = Integer.getInteger("sim.runs", 2);
        List<Long> seeds = new ArrayList<>();
        if (fixed != null) {
            seeds.add(Long.parseLong(fixed));
        } else {
            java.util.Random seeder = new java.util.Random(Long.getLong("sim.base", 20240501L));
            for (int i = 0; i < runs; i++) {
                seeds.add(seeder.nextLong());
            }
        }
        for (long seed : seeds) {
            Simulation sim = new Simulation(seed);
            try {
                sim.run();
            } catch (Throwable e) {
                throw new AssertionError("simulation failed with seed " + seed + " at virtual time "
                        + (sim.loop.now() - sim.start) + " ms (replay: -Dsim.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    /** One run: a cluster, a workload, faults, and the checks. */
    static final class Simulation {
        final long seed;
        final SimLoop loop;
        final long start;
        final CoordinatorSettings settings = new CoordinatorSettings(200, 2_000, 3_000, -1, -1);
        final Map<String, SimNode> nodes = new LinkedHashMap<>();
        final Map<Integer, SimLog> logs = new TreeMap<>();
        final List<String> nodeIds = new ArrayList<>();
        ClusterMap map;
        boolean faults = true;
        long stopWorkloadAt;
        // fault rates of the network
        double drop = 0.03;
        double duplicate = 0.03;
        // ---- what the checks remember ----
        final Map<Long, Long> endedAt = new HashMap<>();
        final Map<String, GlobalStatus> endStatus = new HashMap<>();
        final Map<String, Map<Long, Branch>> branchesSeen = new HashMap<>();
        final Map<String, Boolean> decision = new HashMap<>(); // true = commit
        final Set<String> acknowledgedCommit = new HashSet<>();
        final Map<Long, Boolean> rmDone = new HashMap<>(); // branch id → committed (true) / rolled back (false)
        final Map<String, Boolean> rmSaga = new HashMap<>();
        final Map<String, Long> lockSeen = new HashMap<>();
        int transactions;
        int conflicts;
        int events;
        int leaderChanges;

        Simulation(long seed) {
            this.seed = seed;
            this.loop = new SimLoop(seed);
            this.start = loop.now();
        }

        void run() {
            for (int i = 1; i <= NODES; i++) {
                nodeIds.add("n" + i);
            }
            map = ClusterMap.initial(FRAGMENTS, nodeIds, REPLICAS);
            for (ClusterMap.FragmentInfo info : map.fragments()) {
                logs.put(info.id(), new SimLog(info.id(), loop, settings, this::onCommit, this::onPropose));
            }
            PhaseTwoRms rm = new PhaseTwoRms();
            for (String id : nodeIds) {
                nodes.put(id, new SimNode(id, map, this::member, loop, transport(id), rm::call, logs, settings));
            }
            for (ClusterMap.FragmentInfo info : map.fragments()) {
                SimLog log = logs.get(info.id());
                log.start(info.replicas().get(loop.random.nextInt(info.replicas().size())));
                if (loop.chance(0.2)) {
                    log.commitMax = 60; // a slow replica set
                }
            }
            for (SimNode node : nodes.values()) {
                every(100, 100, node.housekeeping::tick);
                every(loop.between(0, 5_000), 5_000, node.sweeper::run);
            }
            stopWorkloadAt = start + WORKLOAD_MILLIS;
            scheduleClients();
            scheduleLeaderChanges();
            long end = stopWorkloadAt + QUIET_MILLIS;
            while (loop.step(end)) {
                events++;
                if (loop.now() >= stopWorkloadAt) {
                    faults = false;
                    drop = 0;
                    duplicate = 0;
                }
                check();
            }
            checkEnd();
        }

        private Optional<ClusterMember> member(String id) {
            return nodeIds.contains(id) ? Optional.of(new ClusterMember(id, "sim-" + id, 8091, 7091, 9091))
                    : Optional.empty();
        }

        private void every(long first, long period, Runnable action) {
            loop.later(first, new Runnable() {
                @Override
                public void run() {
                    action.run();
                    loop.later(period, this);
                }
            });
        }

        // ---- the network ----

        private long latency() {
            return loop.chance(0.05) ? loop.between(100, 1_500) : loop.between(1, 15);
        }

        /** Node {@code from}'s link to its peers: lost, duplicated and delayed messages both ways. */
        private PeerTransport transport(String from) {
            return (peer, request, head, timeout) -> {
                CompletableFuture<SeataMessage> answer = new CompletableFuture<>();
                loop.later(timeout.toMillis(), () -> answer.completeExceptionally(new TimeoutException("no answer")));
                if (loop.chance(drop / 3)) {
                    loop.later(latency(), () -> answer.completeExceptionally(new ConnectException("reset")));
                    return answer;
                }
                int copies = loop.chance(duplicate) ? 2 : 1;
                for (int i = 0; i < copies; i++) {
                    if (loop.chance(drop)) {
                        continue; // the request is lost
                    }
                    loop.later(latency(), () -> nodes.get(peer.id()).receive(request, head)
                            .whenComplete((reply, error) -> {
                                if (error == null && !loop.chance(drop)) {
                                    loop.later(latency(), () -> answer.complete(reply));
                                }
                            }));
                }
                return answer;
            };
        }

        // ---- leader changes ----

        private void scheduleLeaderChanges() {
            loop.later(loop.between(500, 3_000), () -> {
                if (!faults) {
                    return;
                }
                killLeader(loop.random.nextInt(FRAGMENTS));
                scheduleLeaderChanges();
            });
        }

        /** A leader dies while a branch's locks are being taken: the lock fragment's, or the transaction's. */
        private void onPropose(SimLog log, io.arbiter.core.command.Command command) {
            if (faults && command instanceof io.arbiter.core.command.Command.AcquireLocks a && loop.chance(0.08)) {
                int victim = loop.chance(0.5) ? log.fragmentId : Xids.fragmentOf(a.transactionId());
                loop.later(loop.between(0, 6), () -> killLeader(victim));
            }
        }

        private void killLeader(int fragment) {
            SimLog log = logs.get(fragment);
            List<String> replicas = new ArrayList<>(log.replicas.keySet());
            String next = replicas.get(loop.random.nextInt(replicas.size()));
            leaderChanges++;
            log.changeLeader(next, loop.between(50, 1_200));
        }

        // ---- the RMs ----

        /** Every RM of every resource: answers phase-two calls after a delay, sometimes fails or is unreachable. */
        final class PhaseTwoRms {
            CompletableFuture<BranchEndResponse> call(BranchEndRequest request, String clientId, String appId,
                                                      boolean anyApp) {
                CompletableFuture<BranchEndResponse> answer = new CompletableFuture<>();
                boolean commit = request instanceof BranchCommitRequest;
                loop.later(loop.between(1, 40), () -> {
                    if (loop.chance(0.1)) {
                        answer.completeExceptionally(new ConnectException("RM unreachable"));
                        return;
                    }
                    if (loop.chance(0.1)) {
                        answer.complete(response(request, commit, false));
                        return;
                    }
                    Boolean before = request.branchId() == -1 ? rmSaga.put(request.xid(), commit)
                            : rmDone.put(request.branchId(), commit);
                    if (before != null && before != commit) {
                        fail("branch %d of %s both committed and rolled back", request.branchId(), request.xid());
                    }
                    decide(request.xid(), commit, "RM call");
                    if (loop.chance(0.05)) {
                        // done, but the answer is lost: the call times out (as BranchCaller's do) and is made again
                        loop.later(3_000, () -> answer.completeExceptionally(new TimeoutException("RM silent")));
                        return;
                    }
                    answer.complete(response(request, commit, true));
                });
                return answer;
            }

            private BranchEndResponse response(BranchEndRequest r, boolean commit, boolean done) {
                if (commit) {
                    return new BranchCommitResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, r.xid(),
                            r.branchId(), done ? BranchStatus.PhaseTwo_Committed
                            : BranchStatus.PhaseTwo_CommitFailed_Retryable);
                }
                return new BranchRollbackResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, r.xid(),
                        r.branchId(), done ? BranchStatus.PhaseTwo_Rollbacked
                        : BranchStatus.PhaseTwo_RollbackFailed_Retryable);
            }
        }

        // ---- the workload ----

        private void scheduleClients() {
            loop.later(loop.between(10, 80), () -> {
                if (loop.now() >= stopWorkloadAt) {
                    return;
                }
                new Client(transactions++).begin();
                scheduleClients();
            });
        }

        private ClientSession session(ClientSession.Role role, int n) {
            return new ClientSession(role, ClientVersion.V2_5_0, "app" + (n % 3), "default_tx_group",
                    "10.0.0." + (n % 200), 20_000 + n);
        }

        /** One global transaction's TM and RMs, each request sent to a node of its choice. */
        final class Client {
            final int n;
            final ClientSession tm;
            final ClientSession rmSession;
            final boolean saga;
            String xid;
            int branchesLeft;
            final List<Long> branchIds = new ArrayList<>();
            final List<String> lockKeys = new ArrayList<>();

            Client(int n) {
                this.n = n;
                this.tm = session(ClientSession.Role.TM, n);
                this.rmSession = session(ClientSession.Role.RM, n);
                this.saga = loop.chance(0.12);
                this.branchesLeft = loop.between(1, 4);
            }

            void send(TransactionRequest request, Consumer<ResultMessage> then) {
                SimNode node = nodes.get(nodeIds.get(loop.random.nextInt(NODES)));
                ClientSession session = request instanceof BranchRegisterRequest
                        || request instanceof BranchReportRequest ? rmSession : tm;
                node.router.handle(session, request).whenComplete((answer, error) -> {
                    if (error != null) {
                        fail("request %s failed with an exception: %s", request, error);
                    }
                    loop.later(loop.between(1, 10), () -> then.accept(answer));
                });
            }

            void begin() {
                int timeout = loop.chance(0.1) ? loop.between(500, 3_000) : loop.between(8_000, 20_000);
                send(new GlobalBeginRequest(timeout, saga ? "$Saga_order" : "order"), answer -> {
                    GlobalBeginResponse r = (GlobalBeginResponse) answer;
                    if (r.resultCode() != ResultCode.Success) {
                        return;
                    }
                    xid = r.xid();
                    next();
                }); 
            }

            void next() {
                int roll = loop.random.nextInt(100);
                if (roll < 8) {
                    send(new GlobalStatusRequest(xid), this::checkStatus);
                    return;
                }
                if (roll < 14) {
                    send(new GlobalLockQueryRequest(loop.chance(0.5) ? xid : null, BranchType.AT, RESOURCE,
                            lockKey(), null), answer -> next());
                    return;
                }
                if (roll < 18 && !branchIds.isEmpty()) {
                    long b = branchIds.get(loop.random.nextInt(branchIds.size()));
                    send(new BranchReportRequest(xid, b, loop.chance(0.7) ? BranchStatus.PhaseOne_Done
                            : BranchStatus.PhaseOne_Failed, RESOURCE, null, BranchType.AT), answer -> next());
                    return;
                }
                if (branchesLeft > 0) {
                    branchesLeft--;
                    if (!saga && branchesLeft > 0 && loop.chance(0.15)) {
                        branchesLeft--;
                        register(false); // two branches of one transaction at once
                    }
                    register(true);
                    return;
                }
                end();
            }

            private String lockKey() {
                StringBuilder key = new StringBuilder();
                int tables = loop.between(1, 2);
                for (int t = 0; t < tables; t++) {
                    if (t > 0) {
                        key.append(';');
                    }
                    key.append("t").append(loop.random.nextInt(3)).append(':');
                    int rows = loop.between(1, 4);
                    for (int i = 0; i < rows; i++) {
                        key.append(i > 0 ? "," : "").append(loop.random.nextInt(25));
                    }
                }
                return key.toString();
            }

            void register(boolean continueAfter) {
                BranchType type;
                String key = null;
                if (saga) {
                    type = BranchType.SAGA;
                } else {
                    int roll = loop.random.nextInt(10);
                    type = roll < 7 ? BranchType.AT : roll < 9 ? BranchType.TCC : BranchType.XA;
                    if (type == BranchType.AT) {
                        key = lockKey();
                    }
                }
                String lockKey = key;
                send(new BranchRegisterRequest(xid, type, RESOURCE, lockKey, null), answer -> {
                    BranchRegisterResponse r = (BranchRegisterResponse) answer;
                    if (r.resultCode() == ResultCode.Success) {
                        branchIds.add(r.branchId());
                        if (lockKey != null) {
                            lockKeys.add(lockKey);
                        }
                    } else if (r.exceptionCode() == TransactionExceptionCode.LockKeyConflict) {
                        conflicts++;
                    }
                    if (continueAfter) {
                        next();
                    }
                });
            }

            void end() {
                int roll = loop.random.nextInt(100);
                if (roll < 10) {
                    return; // abandoned: it times out
                }
                if (saga && roll < 50) {
                    boolean ok = loop.chance(0.6);
                    send(new GlobalReportRequest(xid, null, ok ? io.arbiter.protocol.GlobalStatus.Committed
                            : io.arbiter.protocol.GlobalStatus.Rollbacked), answer -> after());
                } else if (roll < 70) {
                    send(new GlobalCommitRequest(xid), answer -> {
                        GlobalCommitResponse r = (GlobalCommitResponse) answer;
                        if (r.resultCode() == ResultCode.Success
                                && r.globalStatus() == io.arbiter.protocol.GlobalStatus.Committed) {
                            acknowledgedCommit.add(xid);
                            decide(xid, true, "commit acknowledged");
                        }
                        after();
                    });
                } else {
                    send(new GlobalRollbackRequest(xid), answer -> {
                        GlobalRollbackResponse r = (GlobalRollbackResponse) answer;
                        if (r.resultCode() == ResultCode.Success && r.globalStatus() != null
                                && r.globalStatus().name().contains("Rollback")) {
                            decide(xid, false, "rollback answered " + r.globalStatus());
                        }
                        after();
                    });
                }
            }

            void after() {
                if (loop.chance(0.5)) {
                    send(new GlobalStatusRequest(xid), this::checkStatus);
                }
            }

            void checkStatus(ResultMessage answer) {
                GlobalStatusResponse r = (GlobalStatusResponse) answer;
                if (r.resultCode() == ResultCode.Success && r.globalStatus() != null) {
                    GlobalStatus s = GlobalStatus.fromCode(r.globalStatus().code());
                    Boolean d = family(s);
                    if (d != null) {
                        decide(xid, d, "status query " + s);
                    }
                }
                if (branchesLeft > 0 || (r.resultCode() == ResultCode.Success
                        && r.globalStatus() == io.arbiter.protocol.GlobalStatus.Begin && loop.chance(0.3))) {
                    next();
                }
            }
        }

        // ---- the checks ----

        /** Commit (true), rollback (false) or undecided (null) for a status. */
        private static Boolean family(GlobalStatus s) {
            return switch (s) {
                case Committing, CommitRetrying, AsyncCommitting, Committed, CommitFailed, CommitRetryTimeout -> true;
                case Rollbacking, RollbackRetrying, TimeoutRollbacking, TimeoutRollbackRetrying, Rollbacked,
                        RollbackFailed, TimeoutRollbacked, TimeoutRollbackFailed, RollbackRetryTimeout -> false;
                default -> null;
            };
        }

        private void decide(String xid, boolean commit, String how) {
            Boolean before = decision.putIfAbsent(xid, commit);
            if (before != null && before != commit) {
                fail("decision of %s reversed: was %s, now %s by %s", xid, before ? "commit" : "rollback",
                        commit ? "commit" : "rollback", how);
            }
        }

        /** Each committed entry of a fragment, with the reference coordinator's result and effects. */
        private void onCommit(SimLog log, Applied applied) {
            for (Effect e : applied.effects()) {
                if (e instanceof Effect.Finished f) {
                    endedAt.put(Xids.transactionId(f.xid()), loop.now());
                    endStatus.put(f.xid(), f.status());
                    Boolean d = family(f.status());
                    if (d != null) {
                        decide(f.xid(), d, "end " + f.status());
                    }
                    checkBranchesFinal(f.xid(), f.status());
                }
            }
            for (GlobalTransaction tx : log.reference.transactions()) {
                Map<Long, Branch> seen = branchesSeen.computeIfAbsent(tx.xid(), k -> new HashMap<>());
                for (Branch b : tx.branches()) {
                    seen.put(b.branchId(), b);
                }
                Boolean d = family(tx.status());
                if (d != null) {
                    decide(tx.xid(), d, "status " + tx.status());
                }
            }
        }

        /** Invariant 5, when a transaction ends. */
        private void checkBranchesFinal(String xid, GlobalStatus status) {
            Boolean commit = status == GlobalStatus.Committed ? Boolean.TRUE
                    : status == GlobalStatus.Rollbacked || status == GlobalStatus.TimeoutRollbacked ? Boolean.FALSE
                    : null;
            if (commit == null) {
                return;
            }
            Map<Long, Branch> branches = branchesSeen.getOrDefault(xid, Map.of());
            boolean saga = branches.values().stream().anyMatch(b -> b.type()
                    == io.arbiter.core.model.BranchType.SAGA);
            if (saga) {
                if (rmSaga.containsKey(xid) && rmSaga.get(xid) != commit) {
                    fail("saga %s ended %s but its RM did the opposite", xid, status);
                }
                return; // a Saga report ends it without calls
            }
            for (Branch b : branches.values()) {
                if (!commit.equals(rmDone.get(b.branchId()))) {
                    fail("%s ended %s, but branch %d (%s) was %s at its RM", xid, status, b.branchId(), b.type(),
                            rmDone.containsKey(b.branchId()) ? (rmDone.get(b.branchId()) ? "committed" : "rolled back")
                                    : "never finished");
                }
            }
        }

        /** Invariants 1 to 4 over every fragment's committed state. */
        private void check() {
            Map<Long, GlobalTransaction> live = new HashMap<>();
            for (SimLog log : logs.values()) {
                for (GlobalTransaction tx : log.reference.transactions()) {
                    live.put(tx.transactionId(), tx);
                }
            }
            Map<String, Long> holders = new HashMap<>();
            Set<String> present = new HashSet<>();
            long now = loop.now();
            for (SimLog log : logs.values()) {
                int f = log.fragmentId;
                log.reference.forEachLock((row, holder, xid) -> {
                    Long other = holders.putIfAbsent(row, holder);
                    if (other != null && other != holder && live.containsKey(other) && live.containsKey(holder)) {
                        fail("row %s held by two live transactions, %d and %d", row, other, holder);
                    }
                    String key = f + "|" + row + "|" + holder;
                    present.add(key);
                    long since = lockSeen.computeIfAbsent(key, k -> now);
                    if (!live.containsKey(holder)) {
                        if (Xids.fragmentOf(holder) == f) {
                            fail("ended transaction %s still holds %s in its own fragment %d", xid, row, f);
                        }
                        Long ended = endedAt.get(holder);
                        long end = ended == null ? since : ended;
                        long elected = log.leader() == null ? now : log.electedAt;
                        var record = log.reference.foreignHolder(holder);
                        long acquired = record == null ? since : record.lastAcquiredAt();
                        long sweep = Math.max(Math.max(end, acquired + MIN_AGE_MILLIS), elected);
                        if (now > sweep + PERIOD_AND_ROUND_MILLIS) {
                            fail("ended transaction %s (ended at %s) still holds %s in fragment %d, last acquired at "
                                    + "%d, leader since %d", xid, end - start, row, f, acquired - start,
                                    elected - start);
                        }
                        long late = Math.max(end + LATE_ACQUIRE_MILLIS + MIN_AGE_MILLIS, elected);
                        if (now > late + PERIOD_AND_ROUND_MILLIS) {
                            fail("ended transaction %s (ended at %d) still holds %s in fragment %d", xid, end - start,
                                    row, f);
                        }
                    }
                });
            }
            lockSeen.keySet().retainAll(present);
            SlotMap slots = map.slots();
            for (GlobalTransaction tx : live.values()) {
                if (tx.locksReleased()) {
                    continue;
                }
                for (Branch b : tx.branches()) {
                    if (b.type() != io.arbiter.core.model.BranchType.AT) {
                        continue;
                    }
                    for (String row : LockKeys.rowKeys(b.resourceId(), b.lockKey())) {
                        long holder = logs.get(slots.ownerOf(row)).reference.lockHolder(row);
                        if (holder != tx.transactionId()) {
                            fail("branch %d of %s (%s) registered without row %s (fragment %d; holder %d)",
                                    b.branchId(), tx.xid(), tx.status(), row, slots.ownerOf(row), holder);
                        }
                    }
                }
            }
            for (String xid : acknowledgedCommit) {
                if (Boolean.FALSE.equals(decision.get(xid))) {
                    fail("commit of %s acknowledged, then rolled back", xid);
                }
            }
        }

        /** After the quiet period: everything ended, no lock left, replicas equal the committed state. */
        private void checkEnd() {
            for (SimLog log : logs.values()) {
                if (log.reference.transactionCount() != 0) {
                    fail("fragment %d: transactions never ended: %s", log.fragmentId,
                            log.reference.transactions().stream().map(t -> t.xid() + "=" + t.status()).toList());
                }
                if (log.reference.lockCount() != 0) {
                    List<String> rows = new ArrayList<>();
                    log.reference.forEachLock((row, holder, xid) -> rows.add(row + "@" + xid));
                    fail("fragment %d: locks left: %s", log.fragmentId, rows);
                }
                byte[] reference = bytes(log.reference);
                for (SimLog.Replica r : log.replicas.values()) {
                    r.catchUp();
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try {
                        r.stateMachine.snapshot().writeTo(out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (!java.util.Arrays.equals(out.toByteArray(), reference)) {
                        fail("fragment %d: replica on %s differs from the committed state", log.fragmentId, r.nodeId);
                    }
                }
            }
            if (transactions < 100 || endStatus.size() < transactions / 2) {
                fail("too little happened: %d transactions begun, %d ended", transactions, endStatus.size());
            }
            System.out.printf("sim seed %d: %d events, %d transactions (%d ended), %d lock conflicts, %d leader changes%n",
                    seed, events, transactions, endStatus.size(), conflicts, leaderChanges);
        }

        private static byte[] bytes(Coordinator c) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                SnapshotCodec.write(c.snapshot(), out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
