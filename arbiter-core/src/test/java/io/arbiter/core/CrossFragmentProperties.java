package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.core.lock.LockTable;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
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
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Three fragments, each one coordinator, with rows routed to the fragment owning their slot ({@code slot mod 3}) and
 * a model of the server's protocol: a register takes the rows of other fragments first ({@code AcquireLocks}, all or
 * nothing per fragment, ascending), then registers the branch with its remote rows; on a conflict it releases what
 * it newly took. Faults: releases (after a conflict, or asked by {@link Effect.ReleaseRemoteLocks}) are lost, late
 * {@code AcquireLocks} arrive after their transaction ended, fragments restart from a snapshot, leaders change
 * ({@code Resume}). The orphan sweep ({@code foreignHolders} + {@code QueryAlive} + {@code ReleaseLocks}) cleans up.
 *
 * <p>Invariants after every step: a row is locked only in the fragment owning its slot; a lock of a transaction of
 * that fragment belongs to a live transaction whose branch names the row, a foreign lock to a recorded foreign
 * holder; every registered branch of a live transaction that still holds its locks holds all its rows, local and
 * remote; a transaction whose local locks went (ended, or committing) holds none in its fragment and asked for the
 * release of every remote fragment its branches named. After healing and one sweep: no lock anywhere.
 */
class CrossFragmentProperties {
    private static final int FRAGMENTS = 3;
    private static final long SWEEP_MIN_AGE = 2_000;
    private static final int ROWS = 12;

    @Property(tries = 150)
    void locksAcrossFragmentsNeverLeakOrOverlap(@ForAll long seed) throws IOException {
        new Run(seed).execute();
    }

    private static final class Run {
        private final long seed;
        private final Random random;
        private final CoordinatorSettings settings = new CoordinatorSettings(50, 400, 300, 20_000, 20_000);
        private final Coordinator[] fragments = new Coordinator[FRAGMENTS];
        private final List<String> xids = new ArrayList<>();
        private final Map<Long, Set<Integer>> remoteFragmentsOf = new HashMap<>();
        private final Map<Long, Set<Integer>> releaseAsked = new HashMap<>();
        private final Set<Long> ended = new HashSet<>();
        private final Deque<Effect.SendPhaseTwo> calls = new ArrayDeque<>();
        private boolean faults = true;
        private long now = 1_000;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            for (int f = 0; f < FRAGMENTS; f++) {
                fragments[f] = new Coordinator(f, settings);
            }
        }

        void execute() throws IOException {
            int steps = 300 + random.nextInt(300);
            for (int i = 0; i < steps; i++) {
                now += random.nextInt(40);
                step();
                check();
            }
            heal();
        }

        private void step() throws IOException {
            int op = random.nextInt(100);
            if (op < 12 || xids.isEmpty()) {
                int f = random.nextInt(FRAGMENTS);
                Result r = apply(f, new Command.Begin("h:" + f, "app", "g", "t", 300 + random.nextInt(3_000), now));
                xids.add(((Result.Began) r).xid());
            } else if (op < 45) {
                register(pick(), lockKey());
            } else if (op < 53) {
                String xid = pick();
                apply(fragmentOf(xid), new Command.Commit(xid, now));
            } else if (op < 58) {
                String xid = pick();
                apply(fragmentOf(xid), new Command.Rollback(xid, now));
            } else if (op < 80) {
                answerOneCall();
            } else if (op < 85) {
                lateAcquire();
            } else if (op < 88) {
                sweep(SWEEP_MIN_AGE);
            } else if (op < 89) {
                int f = random.nextInt(FRAGMENTS);
                fragments[f] = restart(fragments[f]);
            } else if (op < 91) {
                apply(random.nextInt(FRAGMENTS), new Command.Resume(now));
            } else {
                apply(random.nextInt(FRAGMENTS), new Command.Tick(now));
            }
        }

        /** One to three of the {@value #ROWS} rows. */
        private String lockKey() {
            StringBuilder key = new StringBuilder("t:").append(random.nextInt(ROWS));
            for (int n = random.nextInt(3); n > 0; n--) {
                key.append(',').append(random.nextInt(ROWS));
            }
            return key.toString();
        }

        private String pick() {
            return xids.get(random.nextInt(xids.size()));
        }

        private static int fragmentOf(String xid) {
            return Xids.fragmentOf(Xids.transactionId(xid));
        }

        private static int ownerOf(String row) {
            return LockTable.slotOf(row) % FRAGMENTS;
        }

        /** The server's register protocol. */
        private void register(String xid, String lockKey) {
            int home = fragmentOf(xid);
            long txId = Xids.transactionId(xid);
            Map<Integer, List<String>> remote = new TreeMap<>();
            for (String row : LockKeys.rowKeys("db", lockKey)) {
                if (ownerOf(row) != home) {
                    remote.computeIfAbsent(ownerOf(row), k -> new ArrayList<>()).add(row);
                }
            }
            if (remote.isEmpty()) {
                Result r = apply(home, new Command.RegisterBranch(xid, BranchType.AT, "db", lockKey, null, "c", now));
                assertThat(r).isInstanceOfAny(Result.BranchRegistered.class, Result.Rejected.class);
                return;
            }
            Map<Integer, List<String>> taken = new TreeMap<>();
            for (Map.Entry<Integer, List<String>> e : remote.entrySet()) {
                Result r = apply(e.getKey(), new Command.AcquireLocks(txId, xid, "db", e.getValue(), now));
                if (r instanceof Result.Rejected) {
                    releaseTaken(txId, taken);
                    return;
                }
                taken.put(e.getKey(), ((Result.LocksTaken) r).rows());
            }
            List<String> remoteRows =
                    remote.values().stream().flatMap(List::stream).toList();
            List<Integer> remoteFragments = List.copyOf(remote.keySet());
            Result r = apply(
                    home,
                    new Command.RegisterBranch(
                            xid, BranchType.AT, "db", lockKey, null, "c", now, remoteFragments, remoteRows));
            if (r instanceof Result.BranchRegistered) {
                remoteFragmentsOf.computeIfAbsent(txId, k -> new HashSet<>()).addAll(remoteFragments);
            } else {
                releaseTaken(txId, taken);
            }
        }

        private void releaseTaken(long txId, Map<Integer, List<String>> taken) {
            taken.forEach((f, rows) -> {
                if (!rows.isEmpty() && !(faults && random.nextInt(5) == 0)) { // lost: the sweep's job
                    apply(f, new Command.ReleaseLocks(txId, rows));
                }
            });
        }

        /** An AcquireLocks delayed in the network until its transaction may have ended: an orphan in the making. */
        private void lateAcquire() {
            String xid = pick();
            long txId = Xids.transactionId(xid);
            int home = fragmentOf(xid);
            String row = "db^^^t^^^" + random.nextInt(ROWS);
            if (ownerOf(row) != home) {
                apply(ownerOf(row), new Command.AcquireLocks(txId, xid, "db", List.of(row), now));
            }
        }

        /** The orphan sweep of every fragment: ask the owners of old foreign holders, release the ended ones. */
        private void sweep(long minAge) {
            for (int f = 0; f < FRAGMENTS; f++) {
                Map<Integer, List<Long>> byOwner = new TreeMap<>();
                for (long id : fragments[f].foreignHolders(now - minAge)) {
                    byOwner.computeIfAbsent(Xids.fragmentOf(id), k -> new ArrayList<>())
                            .add(id);
                }
                for (Map.Entry<Integer, List<Long>> e : byOwner.entrySet()) {
                    Result.Liveness liveness =
                            (Result.Liveness) apply(e.getKey(), new Command.QueryAlive(e.getValue()));
                    for (long over : liveness.ended()) {
                        assertThat(transactionOf(over))
                                .as("seed %d: live %d reported over", seed, over)
                                .isNull();
                        apply(f, new Command.ReleaseLocks(over, List.of()));
                    }
                }
            }
        }

        private void answerOneCall() {
            Effect.SendPhaseTwo call = calls.poll();
            if (call == null) {
                return;
            }
            BranchStatus answer = random.nextInt(4) == 0
                    ? null
                    : call.commit() ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
            apply(
                    fragmentOf(call.xid()),
                    new Command.BranchOutcome(call.xid(), call.branchId(), call.commit(), answer, now));
        }

        private Result apply(int fragment, Command command) {
            Command decoded = CommandCodec.decode(CommandCodec.encode(command)).command();
            assertThat(decoded).as("seed %d: codec", seed).isEqualTo(command);
            Applied applied = fragments[fragment].apply(decoded);
            for (Effect e : applied.effects()) {
                if (e instanceof Effect.SendPhaseTwo s) {
                    calls.add(s);
                } else if (e instanceof Effect.ReleaseRemoteLocks r) {
                    assertThat(Xids.fragmentOf(r.transactionId())).isEqualTo(fragment);
                    releaseAsked
                            .computeIfAbsent(r.transactionId(), k -> new HashSet<>())
                            .add(r.fragmentId());
                    if (!(faults && random.nextInt(5) == 0)) { // lost with a dying leader: the sweep's job
                        apply(r.fragmentId(), new Command.ReleaseLocks(r.transactionId(), List.of()));
                    }
                } else if (e instanceof Effect.Outcome o && o.status().isFinal()) {
                    ended.add(Xids.transactionId(o.xid()));
                }
            }
            return applied.result();
        }

        private GlobalTransaction transactionOf(long id) {
            for (GlobalTransaction tx : fragments[Xids.fragmentOf(id)].transactions()) {
                if (tx.transactionId() == id) {
                    return tx;
                }
            }
            return null;
        }

        private Coordinator restart(Coordinator c) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SnapshotCodec.write(c.snapshot(), out);
            return Coordinator.restore(SnapshotCodec.read(new ByteArrayInputStream(out.toByteArray())), settings);
        }

        private void check() {
            for (int f = 0; f < FRAGMENTS; f++) {
                int fragment = f;
                fragments[f].forEachLock((row, holder, xid) -> {
                    assertThat(ownerOf(row))
                            .as("seed %d: %s locked in fragment %d", seed, row, fragment)
                            .isEqualTo(fragment);
                    assertThat(Xids.transactionId(xid)).isEqualTo(holder);
                    if (Xids.fragmentOf(holder) == fragment) {
                        GlobalTransaction tx = transactionOf(holder);
                        assertThat(tx)
                                .as("seed %d: %s held by a transaction that is over", seed, row)
                                .isNotNull();
                        assertThat(tx.locksReleased()).isFalse();
                        assertThat(tx.branches().stream()
                                        .anyMatch(b -> b.rowKeys().contains(row)))
                                .isTrue();
                    } else {
                        ForeignHolder h = fragments[fragment].foreignHolder(holder);
                        assertThat(h)
                                .as("seed %d: foreign lock %s without its holder", seed, row)
                                .isNotNull();
                        assertThat(h.rows()).contains(row);
                    }
                });
                for (GlobalTransaction tx : fragments[f].transactions()) {
                    checkTransaction(tx);
                }
            }
            for (long id : ended) {
                assertThat(transactionOf(id)).isNull();
                checkReleased(id);
            }
        }

        private void checkTransaction(GlobalTransaction tx) {
            long id = tx.transactionId();
            if (tx.locksReleased()) {
                checkReleased(id);
                return;
            }
            for (Branch b : tx.branches()) {
                for (String row : b.rowKeys()) {
                    assertThat(fragments[ownerOf(row)].lockHolder(row))
                            .as("seed %d: local row %s", seed, row)
                            .isEqualTo(id);
                }
                for (String row : b.remoteRows()) {
                    assertThat(fragments[ownerOf(row)].lockHolder(row))
                            .as("seed %d: remote row %s of %d", seed, row, id)
                            .isEqualTo(id);
                    assertThat(b.remoteFragments()).contains(ownerOf(row));
                }
            }
        }

        /** A transaction whose local locks went holds none in its fragment and asked for all its remote ones. */
        private void checkReleased(long id) {
            Coordinator home = fragments[Xids.fragmentOf(id)];
            home.forEachLock((row, holder) ->
                    assertThat(holder).as("seed %d: %s still held", seed, row).isNotEqualTo(id));
            assertThat(releaseAsked.getOrDefault(id, Set.of()))
                    .as("seed %d: release of %d asked", seed, id)
                    .containsAll(remoteFragmentsOf.getOrDefault(id, Set.of()));
        }

        /** No more faults: every transaction ends, one sweep later no lock is left anywhere. */
        private void heal() {
            faults = false;
            for (int round = 0; round < 10_000 && liveCount() > 0; round++) {
                now += 100;
                for (int f = 0; f < FRAGMENTS; f++) {
                    apply(f, new Command.Tick(now));
                }
                while (!calls.isEmpty()) {
                    Effect.SendPhaseTwo call = calls.poll();
                    BranchStatus ok =
                            call.commit() ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
                    apply(
                            fragmentOf(call.xid()),
                            new Command.BranchOutcome(call.xid(), call.branchId(), call.commit(), ok, now));
                }
                check();
            }
            assertThat(liveCount())
                    .as("seed %d: transactions never ended", seed)
                    .isZero();
            now += SWEEP_MIN_AGE;
            sweep(SWEEP_MIN_AGE);
            for (int f = 0; f < FRAGMENTS; f++) {
                assertThat(fragments[f].lockCount())
                        .as("seed %d: locks left in fragment %d", seed, f)
                        .isZero();
                assertThat(fragments[f].foreignHolders(Long.MAX_VALUE)).isEmpty();
            }
        }

        private int liveCount() {
            int n = 0;
            for (Coordinator c : fragments) {
                n += c.transactionCount();
            }
            return n;
        }
    }
}
