package io.arbiter.bench;

import io.arbiter.bench.load.LoadOptions;
import io.arbiter.bench.load.LoadRunner;
import io.arbiter.bench.load.RunResult;
import io.arbiter.bench.orchestrate.CompareCommand;
import io.arbiter.bench.orchestrate.SnapshotSpikeCommand;
import io.arbiter.bench.report.ReportCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bench run | compare | report | snapshot-spike}: see the README's "Benchmark" section. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Load generator on the real Seata 2.0 client, and Seata-vs-Arbiter comparisons.",
        subcommands = {BenchMain.Run.class, CompareCommand.class, ReportCommand.class, SnapshotSpikeCommand.class})
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new BenchMain()).execute(args);
        // the Seata client leaves non-daemon threads behind
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** One load run in this JVM against a running coordinator; prints one JSON line. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "One load run against a running coordinator; prints one JSON line on stdout.")
    static final class Run implements Callable<Integer> {
        @Mixin
        LoadOptions options = new LoadOptions();

        @Override
        public Integer call() {
            RunResult result = new LoadRunner(options).run();
            return LoadRunner.report(result, options);
        }
    }
}
