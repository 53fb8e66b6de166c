package io.arbiter.server.coordinator;

import io.arbiter.core.Xids;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.result.Result;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.FragmentCommands;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Row locks that live in the fragments owning their slots ({@code docs/LOCKS.md}). A branch register whose rows all
 * belong to the transaction's fragment is one command there, as with a single fragment. Otherwise the rows of each
 * other owning fragment are taken there first ({@link Command.AcquireLocks}, all or nothing per fragment, fragments
 * in ascending order), then the branch is registered in the transaction's fragment with its remote fragments and
 * rows; on a conflict anywhere, the rows this attempt newly took are released again and the client hears
 * LockKeyConflict. A lock query asks every fragment that owns one of the rows. A fragment that handed its slots over
 * to another (a retired one, before it is dropped) refuses both; they are tried again where the map places the
 * rows now.
 *
 * <p>Threading: thread-safe, never blocks.
 */
public final class CrossFragmentLocks implements BranchLocks {
    private static final Logger LOG = LoggerFactory.getLogger(CrossFragmentLocks.class);
    /** Longest a lock command in another fragment may take, elections included (below the RM's 15 s timeout). */
    static final Duration LOCK_CALL = Duration.ofSeconds(8);
    /** Pause before taking rows again after a fragment answered that it handed its lock slots over. */
    static final long SLOTS_MOVED_PAUSE_MS = 100;

    private final Fragments fragments;
    private final FragmentCommands commands;
    private final LongSupplier clock;
    /** Request ids of lock acquisitions: a retried acquisition must answer the rows the first one took. */
    private final long origin = new SecureRandom().nextLong();

    private final AtomicLong sequence = new AtomicLong();
    /**
     * The last cross-fragment register of each transaction on this node: the next one waits for it, releases
     * included. Two attempts of one transaction at once (a register retried by the gateway while the first is still
     * at work, or two branches with common rows) would otherwise break the all-or-nothing rule: the second finds a
     * row already held (taken by the first, so not "newly taken" by it) and registers its branch, then the first
     * meets a conflict and releases that row, and the registered branch holds only part of its rows.
     */
    private final Map<Long, CompletableFuture<Result>> lastAttempt = new ConcurrentHashMap<>();

    public CrossFragmentLocks(Fragments fragments, FragmentCommands commands, LongSupplier clock) {
        this.fragments = fragments;
        this.commands = commands;
        this.clock = clock;
    }

    /** A branch's rows grouped by the other fragments that own them; empty when all are the transaction's own. */
    private Map<Integer, List<String>> remoteRows(Fragment fragment, Command.RegisterBranch c) {
        if (c.type() != BranchType.AT || Xids.transactionId(c.xid()) <= 0) {
            return Map.of();
        }
        List<String> rows;
        try {
            rows = LockKeys.rowKeys(c.resourceId(), c.lockKey());
        } catch (IllegalArgumentException e) {
            return Map.of(); // the transaction's fragment rejects it with the reason
        }
        Map<Integer, List<String>> byOwner = fragments.slots().byOwner(rows);
        byOwner.remove(fragment.id());
        return byOwner;
    }

    @Override
    public CompletableFuture<Result> register(Fragment fragment, Command.RegisterBranch c, RequestId id) {
        Map<Integer, List<String>> first = remoteRows(fragment, c);
        if (first.isEmpty()) {
            return fragment.service().submit(id, c);
        }
        long txId = Xids.transactionId(c.xid());
        CompletableFuture<Result> mine = new CompletableFuture<>();
        CompletableFuture<Result> previous = lastAttempt.put(txId, mine);
        CompletableFuture<Void> turn =
                previous == null ? CompletableFuture.completedFuture(null) : previous.handle((r, e) -> null);
        long deadline = clock.getAsLong() + LOCK_CALL.toMillis();
        AtomicBoolean again = new AtomicBoolean();
        turn.thenCompose(ignored -> whereSlotsAreNow(
                        () -> {
                            // a repeat groups the rows as this node's map has them now (slots moved meanwhile)
                            Map<Integer, List<String>> remote = again.getAndSet(true) ? remoteRows(fragment, c) : first;
                            return remote.isEmpty()
                                    ? fragment.service().submit(id, c)
                                    : registerAcross(fragment, c, id, remote, txId, deadline);
                        },
                        deadline))
                .whenComplete((r, e) -> {
                    lastAttempt.remove(txId, mine);
                    if (e != null) {
                        mine.completeExceptionally(e);
                    } else {
                        mine.complete(r);
                    }
                });
        return mine;
    }

    /**
     * Runs {@code attempt} again, with a short pause, while a fragment answers that it handed its lock slots over
     * (its map moved them; this node's map may not show it yet), until {@code deadline}. {@code docs/LOCKS.md}
     * "Moving slots".
     */
    private CompletableFuture<Result> whereSlotsAreNow(Supplier<CompletableFuture<Result>> attempt, long deadline) {
        return RetryWhileRefused.run(
                attempt, CrossFragmentLocks::takeAgain, SLOTS_MOVED_PAUSE_MS, deadline, clock, commands.delays());
    }

    /**
     * Whether a refusal means "take the rows again shortly": the slots moved, the lock fragment's new leader is still
     * rebuilding its table, or a newer leader of it voided the grant this register named.
     */
    private static boolean takeAgain(ErrorCode code) {
        return code == ErrorCode.LockSlotsMoved
                || code == ErrorCode.LockTableNotReady
                || code == ErrorCode.LockGrantVoid;
    }

    private CompletableFuture<Result> registerAcross(
            Fragment fragment,
            Command.RegisterBranch c,
            RequestId id,
            Map<Integer, List<String>> remote,
            long txId,
            long deadline) {
        List<Taken> taken = new ArrayList<>();
        long attempt = nextAttempt();
        return acquire(new ArrayList<>(remote.entrySet()), 0, txId, c, attempt, taken, deadline)
                .thenCompose(conflict -> {
                    if (conflict != null) {
                        // only rows still claimed by this attempt go: a retry of this register on the transaction's new
                        // leader that found them held (and counts on them) claimed them for itself
                        return release(txId, taken, attempt).thenApply(ignored -> conflict);
                    }
                    List<Integer> remoteFragments = List.copyOf(remote.keySet());
                    List<Long> grantTerms = grantTerms(remoteFragments, taken);
                    List<String> allRemoteRows =
                            remote.values().stream().flatMap(List::stream).toList();
                    Command.RegisterBranch withRemote = new Command.RegisterBranch(
                            c.xid(),
                            c.type(),
                            c.resourceId(),
                            c.lockKey(),
                            c.applicationData(),
                            c.clientId(),
                            c.now(),
                            remoteFragments,
                            allRemoteRows,
                            grantTerms);
                    // a failure of this step (leadership lost, outcome unknown) leaves the rows held: the branch may
                    // have
                    // been registered; if not, they go when the transaction ends (the lock fragments ask it:
                    // LockSweeper)
                    return fragment.service().submit(id, withRemote).thenCompose(res -> {
                        if (res instanceof Result.Rejected) {
                            // registered nowhere: what this attempt took must not stay held
                            return release(txId, taken, attempt).thenApply(ignored -> res);
                        }
                        return CompletableFuture.completedFuture(res);
                    });
                });
    }

    /**
     * Rows newly taken by this attempt in one fragment (rows the transaction held before are not listed), and the
     * term of the lock leader that granted them from memory (0: taken by a replicated command).
     */
    private record Taken(int fragmentId, List<String> rows, long grantTerm) {}

    /** The grant term of each remote fragment, in {@code remoteFragments}' order; empty when none is from memory. */
    private static List<Long> grantTerms(List<Integer> remoteFragments, List<Taken> taken) {
        Map<Integer, Long> byFragment = new java.util.HashMap<>();
        synchronized (taken) {
            taken.forEach(t -> byFragment.put(t.fragmentId(), t.grantTerm()));
        }
        List<Long> terms = remoteFragments.stream()
                .map(f -> byFragment.getOrDefault(f, 0L))
                .toList();
        return terms.stream().allMatch(t -> t == 0) ? List.of() : terms;
    }

    /** Takes the rows fragment by fragment; completes with the first conflict's rejection, or null when all held. */
    private CompletableFuture<Result> acquire(
            List<Map.Entry<Integer, List<String>>> remote,
            int next,
            long txId,
            Command.RegisterBranch c,
            long attempt,
            List<Taken> taken,
            long deadline) {
        if (next == remote.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int f = remote.get(next).getKey();
        Command.AcquireLocks acquire = new Command.AcquireLocks(
                txId, c.xid(), c.resourceId(), remote.get(next).getValue(), clock.getAsLong(), attempt);
        RequestId id = new RequestId(origin, sequence.incrementAndGet());
        // within the register's own deadline: retries after a refusal must not stretch it (a late grant to a
        // transaction that ended meanwhile holds its rows until the sweeper frees them)
        Duration left = Duration.ofMillis(Math.max(1, deadline - clock.getAsLong()));
        return commands.submitLocks(f, id, acquire, left)
                .thenCompose(res -> {
                    if (res instanceof Result.Rejected rejected) {
                        return CompletableFuture.completedFuture(rejected);
                    }
                    synchronized (taken) {
                        Result.LocksTaken locks = (Result.LocksTaken) res;
                        taken.add(new Taken(f, locks.rows(), locks.grantTerm()));
                    }
                    return acquire(remote, next + 1, txId, c, attempt, taken, deadline);
                })
                .exceptionallyCompose(
                        e -> release(txId, taken, attempt).thenCompose(ignored -> CompletableFuture.failedFuture(e)));
    }

    /** A fresh register attempt id (never 0, which names no attempt). */
    private long nextAttempt() {
        long a = origin + sequence.incrementAndGet();
        return a != 0 ? a : nextAttempt();
    }

    /**
     * Releases the rows this attempt newly took and still claims; completes (never exceptionally) when every
     * release answered.
     */
    private CompletableFuture<Void> release(long txId, List<Taken> taken, long attempt) {
        List<Taken> copy;
        synchronized (taken) {
            copy = List.copyOf(taken);
            taken.clear();
        }
        List<CompletableFuture<?>> releases = new ArrayList<>();
        for (Taken t : copy) {
            if (t.rows().isEmpty()) {
                continue;
            }
            releases.add(commands.submitLocks(
                            t.fragmentId(), null, new Command.ReleaseLocks(txId, t.rows(), attempt), LOCK_CALL)
                    .handle((res, e) -> {
                        if (e != null) {
                            LOG.info(
                                    "rows of transaction {} in fragment {} stay held until it ends: {}",
                                    txId,
                                    t.fragmentId(),
                                    e.toString());
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletableFuture<Result> lockable(Fragment fragment, String xid, String resourceId, String lockKey) {
        List<String> rows;
        try {
            rows = LockKeys.rowKeys(resourceId, lockKey);
        } catch (IllegalArgumentException e) {
            return fragment.service().submit(new Command.QueryLock(xid, resourceId, lockKey));
        }
        return whereSlotsAreNow(
                () -> lockableWhereOwned(fragment, rows, new Command.QueryLock(xid, resourceId, lockKey)),
                clock.getAsLong() + LOCK_CALL.toMillis());
    }

    private CompletableFuture<Result> lockableWhereOwned(Fragment fragment, List<String> rows, Command.QueryLock q) {
        List<Integer> owners = List.copyOf(fragments.slots().byOwner(rows).keySet());
        if (owners.isEmpty() || owners.equals(List.of(fragment.id()))) {
            return fragment.service().submit(q);
        }
        List<CompletableFuture<Result>> answers = new ArrayList<>();
        for (int owner : owners) {
            // every fragment checks all the rows: a row it does not own is never locked there
            answers.add(commands.submit(owner, null, q, LOCK_CALL));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    for (CompletableFuture<Result> answer : answers) {
                        Result r = answer.join();
                        if (!(r instanceof Result.Lockable l) || !l.lockable()) {
                            return r;
                        }
                    }
                    return new Result.Lockable(true);
                });
    }
}
