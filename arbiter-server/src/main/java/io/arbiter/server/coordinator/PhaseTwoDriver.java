package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchEndRequest;
import io.arbiter.protocol.message.BranchRollbackRequest;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.routing.Leadership;
import io.arbiter.server.rpc.BranchCalls;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the leader's effects: phase-two calls to resource managers, on this node or through the peer that
 * holds the RM's channel (answers proposed back as
 * {@link Command.BranchOutcome}) and outcomes for waiting TMs. A call already in flight for the same branch and
 * direction is not sent twice; a call that cannot be made (no RM, timeout, error) is reported as failed, which
 * the coordinator retries with back-off. An RM's answer that comes back after this node stopped leading the fragment
 * goes to the new leader, so the new leader does not call the RM again for a branch that is done (it waits
 * {@link Housekeeping#RESUME_GRACE} before it re-drives phase two).
 *
 * <p>Threading: {@link #execute} is called on the apply thread and never blocks; answers arrive on event loops.
 */
public final class PhaseTwoDriver {
    private static final Logger LOG = LoggerFactory.getLogger(PhaseTwoDriver.class);

    private final int fragmentId;
    private final CoordinatorService coordinator;
    private final OutcomeWaiters waiters;
    private final Supplier<? extends BranchCalls> rms;
    private final LongSupplier clock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final FragmentCommands remote;
    private final PhaseTwoStats stats;
    private final IntFunction<List<Integer>> releaseIn;

    /** How long the release of a transaction's rows in another fragment may take, elections included. */
    private static final Duration REMOTE_RELEASE = Duration.ofSeconds(30);
    /** How long an RM's answer may take to reach the fragment's new leader after this node stopped leading it. */
    private static final Duration FORWARDED_OUTCOME = Duration.ofSeconds(5);

    /**
     * @param fragmentId the fragment whose effects this driver carries out
     * @param rms the node's branch caller (a supplier: it is built after the fragments start)
     */
    public PhaseTwoDriver(
            int fragmentId,
            CoordinatorService coordinator,
            OutcomeWaiters waiters,
            Supplier<? extends BranchCalls> rms,
            FragmentCommands remote,
            LongSupplier clock) {
        this(fragmentId, coordinator, waiters, rms, remote, clock, new PhaseTwoStats());
    }

    /** @param stats where the calls made are counted (shared by the node's drivers) */
    public PhaseTwoDriver(
            int fragmentId,
            CoordinatorService coordinator,
            OutcomeWaiters waiters,
            Supplier<? extends BranchCalls> rms,
            FragmentCommands remote,
            LongSupplier clock,
            PhaseTwoStats stats) {
        this(fragmentId, coordinator, waiters, rms, remote, clock, stats, f -> List.of(f));
    }

    /**
     * @param releaseIn where a transaction's rows named as held in a fragment are released: that fragment, or the
     *     fragments owning lock slots when it handed its own over (its rows went to one of them)
     */
    public PhaseTwoDriver(
            int fragmentId,
            CoordinatorService coordinator,
            OutcomeWaiters waiters,
            Supplier<? extends BranchCalls> rms,
            FragmentCommands remote,
            LongSupplier clock,
            PhaseTwoStats stats,
            IntFunction<List<Integer>> releaseIn) {
        this.releaseIn = releaseIn;
        this.fragmentId = fragmentId;
        this.stats = stats;
        this.remote = remote;
        this.coordinator = coordinator;
        this.waiters = waiters;
        this.rms = rms;
        this.clock = clock;
    }

    public void execute(List<Effect> effects) {
        // releases first: a TM told the outcome below waits for them (OutcomeWaiters#released)
        for (Effect effect : effects) {
            if (effect instanceof Effect.ReleaseRemoteLocks release) {
                releaseRemote(release);
            }
        }
        for (Effect effect : effects) {
            if (effect instanceof Effect.SendPhaseTwo send) {
                send(send);
            } else if (effect instanceof Effect.Outcome outcome) {
                waiters.complete(outcome.xid(), outcome.status());
            }
        }
    }

    /** The transaction ended: its rows in another fragment go (if this fails, that fragment's LockSweeper frees them). */
    private void releaseRemote(Effect.ReleaseRemoteLocks r) {
        for (int fragment : releaseIn.apply(r.fragmentId())) {
            CompletableFuture<Result> released = release(
                    fragment,
                    new Command.ReleaseLocks(r.transactionId(), List.of()),
                    clock.getAsLong() + REMOTE_RELEASE.toMillis());
            waiters.releasing(r.xid(), released);
            released.whenComplete((res, e) -> {
                if (e != null) {
                    LOG.info(
                            "locks of {} in fragment {} not released now ({}); the sweeper will",
                            r.xid(),
                            fragment,
                            e.toString());
                }
            });
        }
    }

    /**
     * Releases in {@code fragment}, again after a short pause while a lock-only fragment's replica that was asked
     * answers that it does not lead yet ({@code LockTableNotReady}; a leader rebuilding its table keeps the release).
     */
    private CompletableFuture<Result> release(int fragment, Command.ReleaseLocks release, long deadline) {
        return RetryWhileRefused.run(
                () -> remote.submitLocks(
                        fragment, null, release, Duration.ofMillis(Math.max(1, deadline - clock.getAsLong()))),
                code -> code == io.arbiter.core.model.ErrorCode.LockTableNotReady,
                100,
                deadline,
                clock,
                remote.delays());
    }

    private void send(Effect.SendPhaseTwo s) {
        String key = s.xid() + "/" + s.branchId() + "/" + s.commit();
        if (!inFlight.add(key)) {
            return;
        }
        boolean anyApp = s.type() == BranchType.AT || s.type() == BranchType.SAGA;
        io.arbiter.protocol.BranchType type = WireMapping.toWire(s.type());
        BranchEndRequest request = s.commit()
                ? new BranchCommitRequest(s.xid(), s.branchId(), type, s.resourceId(), s.applicationData())
                : new BranchRollbackRequest(s.xid(), s.branchId(), type, s.resourceId(), s.applicationData());
        rms.get().call(request, s.clientId(), s.applicationId(), anyApp).whenComplete((answer, error) -> {
            if (error != null) {
                LOG.info(
                        "phase-two {} of branch {} ({}) not done: {}",
                        s.commit() ? "commit" : "rollback",
                        s.branchId(),
                        s.xid(),
                        error.toString());
                stats.record(s.commit(), false);
                report(key, s, null);
            } else {
                io.arbiter.core.model.BranchStatus status = WireMapping.toCore(answer.branchStatus());
                stats.record(
                        s.commit(),
                        status
                                == (s.commit()
                                        ? io.arbiter.core.model.BranchStatus.PhaseTwo_Committed
                                        : io.arbiter.core.model.BranchStatus.PhaseTwo_Rollbacked));
                report(key, s, status);
            }
        });
    }

    private void report(String key, Effect.SendPhaseTwo s, io.arbiter.core.model.BranchStatus status) {
        Command.BranchOutcome outcome =
                new Command.BranchOutcome(s.xid(), s.branchId(), s.commit(), status, clock.getAsLong());
        // the call counts as in flight until its answer is applied: a Resume applied in between must not repeat it
        coordinator.submit(outcome).whenComplete((r, e) -> {
            inFlight.remove(key);
            if (e == null) {
                return;
            }
            if (status != null && remote != null && Leadership.isLost(e)) {
                forwardToLeader(outcome);
            } else {
                LOG.debug("could not record outcome of branch {}: {}", s.branchId(), e.toString());
            }
        });
    }

    /**
     * The RM answered after this node stopped leading: the answer goes to whichever node leads now (an outcome is
     * safe to apply twice). A failed call is not forwarded: the new leader calls again anyway.
     */
    private void forwardToLeader(Command.BranchOutcome outcome) {
        remote.submit(fragmentId, null, outcome, FORWARDED_OUTCOME).whenComplete((r, e) -> {
            if (e != null) {
                LOG.info(
                        "answer of branch {} ({}) not recorded after a leader change ({}); the new leader calls again",
                        outcome.branchId(),
                        outcome.xid(),
                        e.toString());
            }
        });
    }
}
