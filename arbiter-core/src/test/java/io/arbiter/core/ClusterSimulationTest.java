package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import io.arbiter.core.snapshot.SnapshotCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Deterministic simulation of the coordinator replicated over three replicas, with the failure modes the
 * replication layer exposes to it: a leader that crashes or is cut off loses or (indeterminately) commits the
 * proposals it had not committed yet; messages between clients, the leader and resource managers are dropped,
 * delayed and duplicated; clients retry with the same request id; a new leader proposes {@link Command.Resume}.
 * Raft itself is modelled as one ordered log (Ratis is tested on its own); everything above it is real. The
 * workload includes the lock commands between fragments: transactions of fragment 2 take and release rows here,
 * branches name rows taken in fragment 2, and the sweep asks which transactions are over.
 *
 * <p>Invariants, checked after every event: replicas agree on every entry's answer; a request id creates at most
 * one transaction or branch; no row is locked by two transactions, and each lock's holder is live here or a recorded
 * foreign holder; no transaction is both committed and rolled back; a commit acknowledged as Committed is never
 * followed by a rollback. After healing (and the foreign holders' release): every transaction ends, every branch of
 * an ended transaction reached the matching final state, no lock is left, and all replicas hold byte-identical
 * state. The seed is in every failure message.
 */
class ClusterSimulationTest {

    @Property(tries = 60)
    void replicatedCoordinatorSurvivesFaults(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed)
            throws IOException {
        new Simulation(seed).run();
    }

    private record Event(long at, long order, Runnable action) {}

    /** Transactions of another fragment (2) that take rows in the simulated fragment (1). */
    private static final int FOREIGN_FRAGMENT = 2;

    private static final List<Long> FOREIGN_IDS = List.of((2L << 48) | 100, (2L << 48) | 200, (2L << 48) | 300);

    private static final class Simulation {
        private final long seed;
        private final Random random;
        private final CoordinatorSettings settings = new CoordinatorSettings(100, 800, 500, 30_000, 30_000);
        private final Coordinator[] replicas = new Coordinator[3];
        private final int[] applied = new int[3];
        private final List<Proposal> log = new ArrayList<>();
        private final List<Result> answers = new ArrayList<>();
        private final List<Proposal> pending = new ArrayList<>();
        private final PriorityQueue<Event> events =
                new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        private int leader = 0;
        private boolean leaderUp = true;
        private long now;
        private long order;
        private long requests;
        private boolean faults = true;

        // what the clients and RMs observed
        private final Map<RequestId, Set<Result>> answersByRequest = new HashMap<>();
        private final List<String> xids = new ArrayList<>();
        private final Map<String, Set<Long>> branches = new HashMap<>();
        private final Set<String> commitSent = new HashSet<>();
        private final Set<String> rollbackSent = new HashSet<>();
        private final Set<String> acknowledgedCommitted = new HashSet<>();
        private final Map<Long, BranchStatus> rmState = new HashMap<>();
        private final Map<String, GlobalStatus> ended = new HashMap<>();

        Simulation(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            for (int i = 0; i < 3; i++) {
                replicas[i] = new Coordinator(1, settings);
            }
        }

        void run() throws IOException {
            for (int i = 0; i < 150; i++) {
                schedule(random.nextInt(20_000), this::clientAction);
            }
            for (long t = 0; t < 25_000; t += 50) {
                schedule(t, this::leaderTick);
            }
            for (long t = 1_000; t < 20_000; t += 1_000 + random.nextInt(3_000)) {
                schedule(t, this::leaderFailure);
            }
            drainUntil(25_000);
            faults = false; // heal: no more loss, the leader stays; let everything finish
            for (long foreign : FOREIGN_IDS) { // once the last retried AcquireLocks is over: the sweep's release
                schedule(now + 10_000, () -> request(new Command.ReleaseLocks(foreign, List.of()), false));
            }
            for (long t = now; t < now + 120_000; t += 100) {
                schedule(t, this::leaderTick);
            }
            drainUntil(now + 120_000);
            checkEnd();
        }

        private void drainUntil(long until) {
            while (!events.isEmpty() && events.peek().at <= until) {
                Event e = events.poll();
                now = Math.max(now, e.at);
                e.action.run();
                commitSome();
                checkInvariants();
            }
        }

        private void schedule(long at, Runnable action) {
            events.add(new Event(at, order++, action));
        }

        /** Network: the message arrives once after a delay, is lost, or arrives twice. */
        private void send(Runnable delivery) {
            if (faults && random.nextInt(10) == 0) {
                return;
            }
            schedule(now + 1 + random.nextInt(faults ? 40 : 5), delivery);
            if (faults && random.nextInt(20) == 0) {
                schedule(now + 1 + random.nextInt(80), delivery);
            }
        }

        // ---- clients ----

        private void clientAction() {
            int op = random.nextInt(13);
            if (op < 3 || xids.isEmpty()) {
                request(new Command.Begin("h:1", "app", "g", "t", 1_000 + random.nextInt(4_000), now), true);
            } else if (op < 7) {
                String xid = xids.get(random.nextInt(xids.size()));
                boolean at = random.nextBoolean();
                if (at && random.nextInt(3) == 0) { // a row of the branch was taken in fragment 2 first
                    int k = random.nextInt(5);
                    request(
                            new Command.RegisterBranch(
                                    xid,
                                    BranchType.AT,
                                    "db",
                                    "t:" + k + ";u:" + k,
                                    null,
                                    "c",
                                    now,
                                    List.of(FOREIGN_FRAGMENT),
                                    List.of("db^^^u^^^" + k)),
                            true);
                    return;
                }
                request(
                        new Command.RegisterBranch(
                                xid,
                                at ? BranchType.AT : BranchType.TCC,
                                "db",
                                at ? "t:" + random.nextInt(5) : null,
                                null,
                                "c",
                                now),
                        true);
            } else if (op >= 10) {
                foreignLockAction(op);
            } else if (op < 9) {
                request(new Command.Commit(xids.get(random.nextInt(xids.size())), now), false);
            } else {
                request(new Command.Rollback(xids.get(random.nextInt(xids.size())), now), false);
            }
        }

        /** A transaction of fragment 2 takes or releases rows here, or the sweep asks whether ours are over. */
        private void foreignLockAction(int op) {
            long foreign = FOREIGN_IDS.get(random.nextInt(FOREIGN_IDS.size()));
            if (op == 10) {
                request(
                        new Command.AcquireLocks(
                                foreign,
                                "h:2:" + foreign,
                                "db",
                                List.of("db^^^t^^^" + random.nextInt(5), "db^^^t^^^" + random.nextInt(5)),
                                now),
                        false);
            } else if (op == 11) {
                request(
                        new Command.ReleaseLocks(
                                foreign, random.nextBoolean() ? List.of() : List.of("db^^^t^^^" + random.nextInt(5))),
                        false);
            } else if (!xids.isEmpty()) {
                request(
                        new Command.QueryAlive(
                                List.of(Xids.transactionId(xids.get(random.nextInt(xids.size()))), foreign)),
                        false);
            }
        }

        /** A gateway sends the request to the leader, retrying (same request id) until it hears back. */
        private void request(Command command, boolean dedup) {
            RequestId id = dedup ? new RequestId(seed, ++requests) : null;
            Proposal proposal = new Proposal(id, command);
            attempt(proposal, 0);
        }

        private void attempt(Proposal proposal, int tries) {
            if (tries > 20) {
                return; // the client gives up; the request may or may not have happened
            }
            send(() -> propose(proposal));
            schedule(now + 300, () -> {
                if (!answered.contains(proposal)) {
                    attempt(proposal, tries + 1);
                }
            });
        }

        private final Set<Proposal> answered = new HashSet<>();

        private void propose(Proposal proposal) {
            if (leaderUp) {
                pending.add(proposal);
            }
        }

        // ---- replication model ----

        /** The leader commits some of its pending proposals, in order; replicas apply what is committed. */
        private void commitSome() {
            if (leaderUp && !pending.isEmpty() && (!faults || random.nextInt(3) > 0)) {
                int n = 1 + random.nextInt(pending.size());
                for (int i = 0; i < n; i++) {
                    append(pending.remove(0));
                }
            }
            for (int r = 0; r < 3; r++) {
                if (r == leader || !faults || random.nextBoolean()) {
                    catchUp(r);
                }
            }
        }

        private void append(Proposal proposal) {
            Proposal replayed = CommandCodec.decode(CommandCodec.encode(proposal));
            log.add(replayed);
            answers.add(null);
        }

        private void catchUp(int r) {
            while (applied[r] < log.size()) {
                int index = applied[r]++;
                Proposal p = log.get(index);
                Applied result = replicas[r].apply(p);
                Result first = answers.get(index);
                if (first == null) {
                    answers.set(index, result.result());
                } else {
                    assertThat(result.result())
                            .as("seed %d: replica %d diverged at %d (%s)", seed, r, index, p)
                            .isEqualTo(first);
                }
                if (r == leader && leaderUp) {
                    onLeaderApplied(p, result);
                }
            }
        }

        private void onLeaderApplied(Proposal p, Applied result) {
            if (p.requestId() != null) {
                answersByRequest
                        .computeIfAbsent(p.requestId(), k -> new HashSet<>())
                        .add(result.result());
            }
            Result r = result.result();
            Command c = p.command();
            if (r instanceof Result.Began b && !xids.contains(b.xid())) {
                xids.add(b.xid());
            } else if (r instanceof Result.BranchRegistered b && c instanceof Command.RegisterBranch reg) {
                branches.computeIfAbsent(reg.xid(), k -> new HashSet<>()).add(b.branchId());
            }
            boolean lost = faults && random.nextInt(10) == 0;
            if (!lost) {
                answered.add(p);
                if (c instanceof Command.Commit commit
                        && r instanceof Result.Status s
                        && s.status() == GlobalStatus.Committed
                        && !s.awaitOutcome()) {
                    acknowledgedCommitted.add(commit.xid());
                }
            }
            for (Effect e : result.effects()) {
                if (e instanceof Effect.SendPhaseTwo s) {
                    (s.commit() ? commitSent : rollbackSent).add(s.xid());
                    send(() -> rmAnswers(s));
                } else if (e instanceof Effect.Outcome o) {
                    if (o.status() == GlobalStatus.Committed) {
                        acknowledgedCommitted.add(o.xid());
                    }
                    if (o.status().isFinal()) {
                        ended.put(o.xid(), o.status());
                    }
                }
            }
        }

        /** The RM does the work (idempotently) and answers; the answer travels back to whoever leads then. */
        private void rmAnswers(Effect.SendPhaseTwo s) {
            BranchStatus answer;
            if (faults && random.nextInt(5) == 0) {
                answer = s.commit()
                        ? BranchStatus.PhaseTwo_CommitFailed_Retryable
                        : BranchStatus.PhaseTwo_RollbackFailed_Retryable;
            } else {
                answer = s.commit() ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
                BranchStatus before = rmState.put(s.branchId(), answer);
                assertThat(before == null || before == answer)
                        .as("seed %d: branch %d both committed and rolled back", seed, s.branchId())
                        .isTrue();
            }
            send(() -> propose(
                    new Proposal(null, new Command.BranchOutcome(s.xid(), s.branchId(), s.commit(), answer, now))));
        }

        private void leaderTick() {
            if (leaderUp) {
                propose(new Proposal(null, new Command.Tick(now)));
            }
        }

        /** The leader crashes or is partitioned away; a replica with the whole committed log takes over. */
        private void leaderFailure() {
            if (!faults) {
                return;
            }
            leaderUp = false;
            for (Proposal p : pending) {
                if (random.nextBoolean()) {
                    append(p); // reached a majority before the failure: committed, though nobody was told
                }
            }
            pending.clear();
            schedule(now + 200 + random.nextInt(800), () -> {
                leader = (leader + 1 + random.nextInt(2)) % 3;
                catchUp(leader);
                leaderUp = true;
                propose(new Proposal(null, new Command.Resume(now)));
            });
        }

        // ---- invariants ----

        private void checkInvariants() {
            for (Map.Entry<RequestId, Set<Result>> e : answersByRequest.entrySet()) {
                assertThat(e.getValue())
                        .as("seed %d: request %s answered differently", seed, e.getKey())
                        .hasSize(1);
            }
            for (String xid : commitSent) {
                assertThat(rollbackSent.contains(xid))
                        .as("seed %d: %s both committed and rolled back", seed, xid)
                        .isFalse();
            }
            for (String xid : acknowledgedCommitted) {
                assertThat(rollbackSent.contains(xid))
                        .as("seed %d: acknowledged commit %s rolled back", seed, xid)
                        .isFalse();
            }
            Coordinator c = replicas[leader];
            Map<String, Long> owners = new HashMap<>();
            c.forEachLock((row, owner) -> assertThat(owners.put(row, owner))
                    .as("seed %d: row %s", seed, row)
                    .isNull());
            Set<Long> live = new HashSet<>();
            c.transactions().forEach(tx -> live.add(tx.transactionId()));
            owners.forEach((row, owner) -> assertThat(
                            Xids.fragmentOf(owner) == 1 ? live.contains(owner) : c.foreignHolder(owner) != null)
                    .as("seed %d: %s held by %d", seed, row, owner)
                    .isTrue());
        }

        private void checkEnd() throws IOException {
            for (int r = 0; r < 3; r++) {
                catchUp(r);
            }
            Coordinator c = replicas[leader];
            assertThat(c.transactionCount())
                    .as("seed %d: transactions never ended", seed)
                    .isZero();
            assertThat(c.lockCount()).as("seed %d: locks left", seed).isZero();
            ended.forEach((xid, status) -> {
                BranchStatus expected = status == GlobalStatus.Committed
                        ? BranchStatus.PhaseTwo_Committed
                        : status == GlobalStatus.Rollbacked || status == GlobalStatus.TimeoutRollbacked
                                ? BranchStatus.PhaseTwo_Rollbacked
                                : null;
                if (expected != null) {
                    for (long b : branches.getOrDefault(xid, Set.of())) {
                        assertThat(rmState.get(b))
                                .as("seed %d: branch %d of %s ended %s", seed, b, xid, status)
                                .isEqualTo(expected);
                    }
                }
            });
            byte[] reference = bytes(replicas[0]);
            for (int r = 1; r < 3; r++) {
                assertThat(bytes(replicas[r]))
                        .as("seed %d: replica %d state differs", seed, r)
                        .isEqualTo(reference);
            }
        }

        private static byte[] bytes(Coordinator c) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SnapshotCodec.write(c.snapshot(), out);
            return out.toByteArray();
        }
    }
}
