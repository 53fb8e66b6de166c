package io.arbiter.bench.load;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of one load run ({@code bench run}); the orchestrator passes the same flags to its load JVMs. */
public final class LoadOptions {
    @Option(
            names = {"-w", "--workload"},
            description = "empty | rollback | tcc | at (default empty)")
    public String workload = "empty";

    @Option(
            names = {"-t", "--threads"},
            description = "load threads, each one transaction at a time (default 16)")
    public int threads = 16;

    @Option(
            names = {"-d", "--duration"},
            description = "measured seconds (default 30)")
    public double duration = 30;

    @Option(names = "--warmup", description = "warm-up seconds before the measured window (default 10)")
    public double warmup = 10;

    @Option(
            names = "--target",
            description = "host:port[,host:port...] (grouplist) or raft:host:httpPort[,...] "
                    + "(raft registry); default 127.0.0.1:8091")
    public String target = "127.0.0.1:8091";

    @Option(names = "--config", description = "label of the coordinator configuration, copied into the result")
    public String config = "adhoc";

    @Option(
            names = "--coordinator-pids",
            split = ",",
            description = "pids of the coordinator processes (their "
                    + "descendants are added); default: whoever listens on the target's ports")
    public List<Long> coordinatorPids = new ArrayList<>();

    @Option(names = "--tx-timeout-ms", description = "global transaction timeout (default 60000)")
    public int txTimeoutMs = 60_000;

    @Option(names = "--at-rows", description = "AT workload: stock rows (default 100000)")
    public int atRows = 100_000;

    @Option(names = "--at-stock", description = "AT workload: initial stock per row (default 1000000)")
    public int atInitialStock = 1_000_000;

    @Option(
            names = "--ready-timeout",
            description = "seconds to wait for the first successful transaction " + "(default 60)")
    public double readyTimeout = 60;

    @Option(names = "--out", description = "also append the JSON line to this file")
    public String out;

    /** The flags that reproduce these options (for a load JVM started by the orchestrator). */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of(
                "--workload",
                workload,
                "--threads",
                String.valueOf(threads),
                "--duration",
                String.valueOf(duration),
                "--warmup",
                String.valueOf(warmup),
                "--target",
                target,
                "--config",
                config,
                "--tx-timeout-ms",
                String.valueOf(txTimeoutMs),
                "--at-rows",
                String.valueOf(atRows),
                "--at-stock",
                String.valueOf(atInitialStock),
                "--ready-timeout",
                String.valueOf(readyTimeout)));
        if (!coordinatorPids.isEmpty()) {
            a.add("--coordinator-pids");
            a.add(String.join(",", coordinatorPids.stream().map(String::valueOf).toList()));
        }
        if (out != null) {
            a.add("--out");
            a.add(out);
        }
        return a;
    }
}
