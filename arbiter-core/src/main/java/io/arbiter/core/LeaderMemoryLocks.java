package io.arbiter.core;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.result.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * The lock table of a lock-only fragment, kept in its leader's memory ({@code docs/LOCKS.md} "Locks in the leader's
 * memory"): grants and releases change it without a log entry. The transactions' own fragments are the durable
 * record of every granted row. A replica that starts leading in a term starts with an empty table and grants nothing
 * until {@link Command.RebuildLocks} for that term installs the rows collected from every fragment (each of which
 * fenced off the grants of earlier terms first); releases that arrive meanwhile are kept and applied on top.
 */
final class LeaderMemoryLocks {
    private final CoordinatorState state;
    private final LockCommands lockCommands;
    /** The term whose table is complete; -1 when none. */
    private long readyTerm = -1;
    /** The term this replica leads in and collects rows for; -1 when it does not lead. */
    private long leadingTerm = -1;

    private final List<Command.ReleaseLocks> releasedMeanwhile = new ArrayList<>();

    LeaderMemoryLocks(CoordinatorState state, LockCommands lockCommands) {
        this.state = state;
        this.lockCommands = lockCommands;
    }

    /** This replica leads from {@code term} on: its table starts empty and grants nothing until rebuilt. */
    void leading(long term) {
        reset();
        leadingTerm = term;
    }

    /** This replica does not lead (any more): it holds no rows. */
    void notLeading() {
        reset();
    }

    private void reset() {
        state.locks().releaseAllForeign();
        readyTerm = -1;
        leadingTerm = -1;
        releasedMeanwhile.clear();
    }

    /** Whether the table is complete for {@code term} (the caller's current term as leader). */
    boolean ready(long term) {
        return term >= 0 && term == readyTerm;
    }

    Result run(Command.LeaderLocks command, long term) {
        if (command instanceof Command.LockBatch batch) {
            List<Result> results = new ArrayList<>(batch.commands().size());
            for (Command.LeaderLocks each : batch.commands()) {
                results.add(run(each, term));
            }
            return new Result.Batch(results);
        }
        if (command instanceof Command.AcquireLocks c) {
            if (!ready(term)) {
                return notReady(term);
            }
            Result r = lockCommands.acquire(c);
            return r instanceof Result.LocksTaken taken ? new Result.LocksTaken(taken.rows(), term) : r;
        }
        if (command instanceof Command.ReleaseLocks c) {
            if (ready(term)) {
                return lockCommands.release(c);
            }
            if (term >= 0 && term == leadingTerm) {
                releasedMeanwhile.add(c);
                return Result.Done.INSTANCE;
            }
            return notReady(term);
        }
        Command.RebuildLocks c = (Command.RebuildLocks) command;
        if (term < 0 || c.term() != term || term != leadingTerm || ready(term)) {
            return notReady(term);
        }
        for (ForeignHolder h : c.holders()) {
            state.locks().adopt(h);
        }
        releasedMeanwhile.forEach(lockCommands::release);
        releasedMeanwhile.clear();
        readyTerm = term;
        return Result.Done.INSTANCE;
    }

    Result.Rejected notReady(long term) {
        return new Result.Rejected(
                ErrorCode.LockTableNotReady,
                term < 0
                        ? "fragment " + state.fragmentId() + " is not led here"
                        : "fragment " + state.fragmentId() + " is rebuilding its lock table for term " + term,
                null);
    }
}
