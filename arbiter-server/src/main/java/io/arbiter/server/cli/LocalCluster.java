package io.arbiter.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arbiter local-cluster --nodes 3 [--data-dir DIR]}: starts a whole cluster on loopback, one JVM per node,
 * with Seata's port convention (node k: HTTP 7090+k, Seata RPC 8090+k, Raft 9090+k), prints their output with a
 * node prefix, and stops every node it started on Ctrl-C / SIGTERM.
 */
@Command(name = "local-cluster", description = "Start an N-node cluster on loopback in the foreground.")
final class LocalCluster implements Callable<Integer> {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Option(
            names = {"-n", "--nodes"},
            description = "number of nodes (default 3)")
    int nodes = 3;

    @Option(
            names = {"-d", "--data-dir"},
            description = "data directory; node k uses DIR/node-k (default ./data)")
    Path dataDir = Path.of("data");

    @Option(
            names = "--base-port",
            description = "node k gets Seata port BASE+k, HTTP BASE-1000+k, Raft BASE+1000+k " + "(default 8090)")
    int basePort = 8090;

    @Option(names = "--fragments", description = "fragments (Raft groups) the cluster starts with (default 1)")
    Integer fragments;

    @Option(
            names = "--lock-fragments",
            description = "how many of the first fragments own the row-lock slots (arbiter.lock-fragments, default 1)")
    Integer lockFragments;

    @Option(names = "--lock-table", description = "memory or replicated (arbiter.lock-table, default memory)")
    String lockTable;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 9) {
            System.err.println("arbiter: --nodes must be between 1 and 9");
            return 2;
        }
        StringJoiner cluster = new StringJoiner(",");
        for (int k = 1; k <= nodes; k++) {
            cluster.add("127.0.0.1:" + (basePort + 1000 + k));
        }
        List<Process> children = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(children), "arbiter-local-cluster-stop"));
        for (int k = 1; k <= nodes; k++) {
            Process p = new ProcessBuilder(javaCommand(k, cluster.toString()))
                    .redirectErrorStream(true)
                    .start();
            children.add(p);
            pipe(p, "[node-" + k + "] ");
        }
        System.out.println("local cluster: " + nodes + " nodes; Seata grouplist " + grouplist(nodes)
                + "; raft registry " + httpList(nodes));
        int worst = 0;
        for (Process p : children) {
            worst = Math.max(worst, p.waitFor());
        }
        return worst == 0 ? 0 : 1;
    }

    /** The collector of node JVMs unless the options name one (docs/PERFORMANCE.md: G1 cost 20–30% throughput). */
    static final String DEFAULT_GC = "-XX:+UseParallelGC";

    private List<String> javaCommand(int k, String cluster) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = new ArrayList<>();
        for (String option : System.getenv()
                .getOrDefault("ARBITER_NODE_JAVA_OPTS", "-Xmx512m")
                .trim()
                .split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        if (options.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w*GC"))) {
            options.add(DEFAULT_GC); // see bin/arbiter
        }
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ArbiterCommand.class.getName());
        cmd.addAll(List.of(
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(basePort + k),
                "--http-port",
                String.valueOf(basePort - 1000 + k),
                "--raft-port",
                String.valueOf(basePort + 1000 + k),
                "--data-dir",
                dataDir.resolve("node-" + k).toString(),
                "--cluster",
                cluster));
        if (fragments != null) {
            cmd.addAll(List.of("--fragments", fragments.toString()));
        }
        if (lockFragments != null) {
            cmd.addAll(List.of("--lock-fragments", lockFragments.toString()));
        }
        if (lockTable != null) {
            cmd.addAll(List.of("--lock-table", lockTable));
        }
        return cmd;
    }

    /** Seata clients split {@code service.default.grouplist} on ';'. */
    private String grouplist(int n) {
        StringJoiner j = new StringJoiner(";");
        for (int k = 1; k <= n; k++) {
            j.add("127.0.0.1:" + (basePort + k));
        }
        return j.toString();
    }

    private String httpList(int n) {
        StringJoiner j = new StringJoiner(",");
        for (int k = 1; k <= n; k++) {
            j.add("127.0.0.1:" + (basePort - 1000 + k));
        }
        return j.toString();
    }

    private static void pipe(Process p, String prefix) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            System.out.println(prefix + line);
                        }
                    } catch (IOException e) {
                        // the node ended
                    }
                },
                "pipe-" + prefix.trim());
        t.setDaemon(true);
        t.start();
    }

    private static void stopAll(List<Process> children) {
        children.forEach(Process::destroy); // SIGTERM: each node shuts down cleanly
        for (Process p : children) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
