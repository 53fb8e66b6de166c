package io.arbiter.microbench;

import io.arbiter.core.Applied;
import io.arbiter.core.Coordinator;
import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Result;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commands per second through the pure core, including the log encoding and decoding every replica does: one
 * benchmark op is a whole transaction (begin, register, commit, phase-two outcome = 4 commands).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoreApplyBenchmark {
    private Coordinator coordinator;
    private long now;
    private long requests;

    @Setup
    public void setUp() {
        coordinator = new Coordinator(0, CoordinatorSettings.defaults());
    }

    private Applied apply(RequestId id, Command command) {
        return coordinator.apply(CommandCodec.decode(CommandCodec.encode(new Proposal(id, command))));
    }

    /** Begin + TCC branch + commit + branch committed: 4 commands. */
    @Benchmark
    public Object tccTransaction() {
        now++;
        String xid = ((Result.Began) apply(
                                new RequestId(1, ++requests),
                                new Command.Begin("10.0.0.1:8091", "app", "grp", "tx", 60_000, now))
                        .result())
                .xid();
        long branch = ((Result.BranchRegistered) apply(
                                new RequestId(1, ++requests),
                                new Command.RegisterBranch(
                                        xid, BranchType.TCC, "tcc", null, "{}", "app:10.0.0.2:4000", now))
                        .result())
                .branchId();
        apply(null, new Command.Commit(xid, now));
        return apply(null, new Command.BranchOutcome(xid, branch, true, BranchStatus.PhaseTwo_Committed, now));
    }

    /** Begin + AT branch with two row locks + commit (async) + branch committed: 4 commands. */
    @Benchmark
    public Object atTransaction() {
        now++;
        String xid = ((Result.Began) apply(
                                new RequestId(1, ++requests),
                                new Command.Begin("10.0.0.1:8091", "app", "grp", "tx", 60_000, now))
                        .result())
                .xid();
        long row = now % 100_000;
        long branch = ((Result.BranchRegistered) apply(
                                new RequestId(1, ++requests),
                                new Command.RegisterBranch(
                                        xid,
                                        BranchType.AT,
                                        "jdbc:pg",
                                        "stock:" + row + "," + (row + 1),
                                        null,
                                        "app:10.0.0.2:4000",
                                        now))
                        .result())
                .branchId();
        apply(null, new Command.Commit(xid, now));
        return apply(null, new Command.BranchOutcome(xid, branch, true, BranchStatus.PhaseTwo_Committed, now));
    }
}
