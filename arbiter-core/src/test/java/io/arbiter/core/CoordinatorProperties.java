package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import io.arbiter.core.snapshot.SnapshotCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random workloads against the coordinator with a simulated RM that fails, loses and duplicates phase-two
 * answers. After every step: no row locked by two transactions and every lock belongs to a live transaction that
 * holds it; no transaction is both committed and rolled back; at the end every branch of an ended transaction
 * reached the final state matching the outcome. Every command also round-trips through the codec, and a replica
 * restored from a snapshot taken mid-run answers the rest of the run identically.
 */
class CoordinatorProperties {

    @Property(tries = 200)
    void invariantsHoldUnderRandomSchedules(@ForAll long seed) throws IOException {
        new Run(seed).execute();
    }

    private static final class Run {
        private final Random random;
        private final long seed;
        private final CoordinatorSettings settings = new CoordinatorSettings(50, 400, 300, 20_000, 20_000);
        private Coordinator coordinator = new Coordinator(3, settings);
        private Coordinator follower;
        private final List<String> xids = new ArrayList<>();
        private final Map<String, Set<Long>> branchesOf = new HashMap<>();
        private final Set<String> commitDecided = new HashSet<>();
        private final Set<String> rollbackDecided = new HashSet<>();
        private final Map<String, GlobalStatus> finalStatus = new HashMap<>();
        private final Map<Long, BranchStatus> rmState = new HashMap<>();
        private final Deque<Effect.SendPhaseTwo> inFlight = new ArrayDeque<>();
        private long now;
        private long requests;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void execute() throws IOException {
            int steps = 300 + random.nextInt(300);
            for (int i = 0; i < steps; i++) {
                now += random.nextInt(40);
                step();
                checkLocks();
                if (follower == null && random.nextInt(100) == 0) {
                    follower = snapshotCopy(coordinator);
                }
            }
            drain();
            checkFinalBranches();
        }

        private void step() {
            int op = random.nextInt(100);
            if (op < 15 || xids.isEmpty()) {
                Result r = apply(new Command.Begin("h:1", "app", "g", "t", 200 + random.nextInt(2_000), now));
                xids.add(((Result.Began) r).xid());
            } else if (op < 45) {
                String xid = pick();
                BranchType type = random.nextBoolean() ? BranchType.AT : BranchType.TCC;
                String lock = type == BranchType.AT ? "t:" + random.nextInt(6) + "," + random.nextInt(6) : null;
                Result r = apply(new Command.RegisterBranch(xid, type, "db", lock, null, "c", now));
                if (r instanceof Result.BranchRegistered b) {
                    assertThat(rollbackDecided)
                            .as("registered into a rolled-back tx")
                            .doesNotContain(xid);
                    branchesOf.computeIfAbsent(xid, k -> new HashSet<>()).add(b.branchId());
                }
            } else if (op < 55) {
                noteStatus(pick(), apply(new Command.Commit(pick(), now)));
            } else if (op < 62) {
                apply(new Command.Rollback(pick(), now));
            } else if (op < 85) {
                answerOne();
            } else if (op < 88) {
                apply(new Command.Resume(now)); // a leader change
            } else {
                apply(new Command.Tick(now));
            }
        }

        private void noteStatus(String ignored, Result r) {
            // outcome tracking happens through effects; nothing to do for the direct answer
        }

        private String pick() {
            return xids.get(random.nextInt(xids.size()));
        }

        private Result apply(Command command) {
            // begins and registrations carry request ids and are sometimes proposed twice (a gateway retry)
            RequestId id = command instanceof Command.Begin || command instanceof Command.RegisterBranch
                    ? new RequestId(seed, ++requests)
                    : null;
            Proposal proposal = new Proposal(id, command);
            Proposal decoded = CommandCodec.decode(CommandCodec.encode(proposal));
            assertThat(decoded).as("seed %d: codec round trip", seed).isEqualTo(proposal);
            Applied applied = coordinator.apply(proposal);
            if (id != null && random.nextInt(10) == 0) {
                Applied retried = coordinator.apply(proposal);
                assertThat(retried.result())
                        .as("seed %d: retry answered differently", seed)
                        .isEqualTo(applied.result());
                assertThat(retried.effects()).isEmpty();
                if (follower != null) {
                    follower.apply(decoded);
                }
            }
            if (follower != null) {
                Applied replica = follower.apply(decoded);
                assertThat(replica)
                        .as("seed %d: restored replica diverged on %s", seed, command)
                        .isEqualTo(applied);
            }
            for (Effect e : applied.effects()) {
                if (e instanceof Effect.SendPhaseTwo s) {
                    (s.commit() ? commitDecided : rollbackDecided).add(s.xid());
                    assertThat(commitDecided.contains(s.xid()) && rollbackDecided.contains(s.xid()))
                            .as("seed %d: %s both committed and rolled back", seed, s.xid())
                            .isFalse();
                    inFlight.add(s);
                } else if (e instanceof Effect.Outcome o && o.status().isFinal()) {
                    GlobalStatus before = finalStatus.putIfAbsent(o.xid(), o.status());
                    assertThat(before)
                            .as("seed %d: %s ended twice", seed, o.xid())
                            .isNull();
                    if (o.status() == GlobalStatus.Committed) {
                        assertThat(rollbackDecided).doesNotContain(o.xid());
                    }
                }
            }
            return applied.result();
        }

        /** The simulated RM answers one call: success, retryable failure, lost, or duplicated. */
        private void answerOne() {
            Effect.SendPhaseTwo call = inFlight.poll();
            if (call == null) {
                return;
            }
            int fate = random.nextInt(10);
            BranchStatus answer;
            if (fate < 6) {
                answer = call.commit() ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
                rmState.put(call.branchId(), answer);
            } else if (fate < 8) {
                answer = call.commit()
                        ? BranchStatus.PhaseTwo_CommitFailed_Retryable
                        : BranchStatus.PhaseTwo_RollbackFailed_Retryable;
            } else if (fate < 9) {
                return; // lost: the retry timer must resend it
            } else {
                answer = null; // call failed
                inFlight.add(call); // and a duplicate shows up later
            }
            apply(new Command.BranchOutcome(call.xid(), call.branchId(), call.commit(), answer, now));
        }

        /** Let time pass with a perfect RM until every transaction has ended. */
        private void drain() {
            for (int round = 0; round < 10_000 && coordinator.transactionCount() > 0; round++) {
                now += 100;
                apply(new Command.Tick(now));
                while (!inFlight.isEmpty()) {
                    Effect.SendPhaseTwo call = inFlight.poll();
                    BranchStatus ok =
                            call.commit() ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
                    rmState.put(call.branchId(), ok);
                    apply(new Command.BranchOutcome(call.xid(), call.branchId(), call.commit(), ok, now));
                }
            }
            assertThat(coordinator.transactionCount())
                    .as("seed %d: transactions never ended", seed)
                    .isZero();
            assertThat(coordinator.lockCount())
                    .as("seed %d: locks leaked", seed)
                    .isZero();
        }

        private void checkLocks() {
            Map<Long, GlobalTransaction> live = new HashMap<>();
            coordinator.transactions().forEach(tx -> live.put(tx.transactionId(), tx));
            coordinator.forEachLock((row, owner) -> {
                GlobalTransaction tx = live.get(owner);
                assertThat(tx)
                        .as("seed %d: lock %s owned by dead tx", seed, row)
                        .isNotNull();
                assertThat(tx.locksReleased())
                        .as("seed %d: released tx still holds %s", seed, row)
                        .isFalse();
                assertThat(tx.branches().stream().anyMatch(b -> b.rowKeys().contains(row)))
                        .isTrue();
            });
            for (GlobalTransaction tx : live.values()) {
                if (!tx.locksReleased()) {
                    for (Branch b : tx.branches()) {
                        for (String row : b.rowKeys()) {
                            assertThat(coordinator.lockHolder(row))
                                    .as("seed %d: row %s", seed, row)
                                    .isEqualTo(tx.transactionId());
                        }
                    }
                }
            }
        }

        private void checkFinalBranches() {
            finalStatus.forEach((xid, status) -> {
                BranchStatus expected = status == GlobalStatus.Committed
                        ? BranchStatus.PhaseTwo_Committed
                        : status == GlobalStatus.Rollbacked || status == GlobalStatus.TimeoutRollbacked
                                ? BranchStatus.PhaseTwo_Rollbacked
                                : null;
                if (expected != null) {
                    for (long branch : branchesOf.getOrDefault(xid, Set.of())) {
                        assertThat(rmState.get(branch))
                                .as("seed %d: branch %d of %s (%s)", seed, branch, xid, status)
                                .isEqualTo(expected);
                    }
                }
            });
        }

        private static Coordinator snapshotCopy(Coordinator source) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SnapshotCodec.write(source.snapshot(), out);
            return Coordinator.restore(
                    SnapshotCodec.read(new ByteArrayInputStream(out.toByteArray())),
                    new CoordinatorSettings(50, 400, 300, 20_000, 20_000));
        }
    }
}
