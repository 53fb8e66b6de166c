package io.arbiter.server.cli;

import io.arbiter.server.ArbiterNode;
import io.arbiter.server.config.ArbiterConfig;
import io.arbiter.server.config.ConfigException;
import io.arbiter.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbiter start [--port] [--http-port] [--host] [--data-dir] [--config]}: runs a node in the foreground. */
@Command(
        name = "arbiter",
        mixinStandardHelpOptions = true,
        version = "arbiter 0.1.0",
        description = "A Raft-replicated, Seata-compatible transaction coordinator.",
        subcommands = {
            ArbiterCommand.Start.class,
            LocalCluster.class,
            Members.class,
            FragmentsCommand.class,
            TxCommand.class,
            LocksCommand.class,
            ClusterCommand.class,
            NodesCommand.class
        })
public final class ArbiterCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        useCommonPoolForAsyncTasks();
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@code main} runs it: a failure while running a command (a node that cannot be reached, a
     * refused login) prints one line naming it on the error writer and exits with status 1, not a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new ArbiterCommand());
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
            if (e instanceof java.net.ConnectException) {
                reason = "cannot connect to the node (" + reason + ")";
            }
            failed.getErr().println("arbiter: " + reason);
            return 1;
        });
        return line;
    }

    /**
     * On a machine with 2 cores the JDK's common pool has a parallelism of 1, and then every
     * {@code CompletableFuture.*Async} call without an executor starts a new thread (ThreadPerTaskExecutor). Ratis
     * makes such a call for every appendEntries a follower receives: a profile of a 3-node cluster under load showed
     * a fifth of each follower's CPU going to creating and ending threads. Must run before anything touches
     * {@code CompletableFuture} (its class initialiser reads the parallelism); an explicit setting is kept.
     */
    static void useCommonPoolForAsyncTasks() {
        String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(key) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(key, "2");
        }
    }

    /** Starts one node and runs until Ctrl-C / SIGTERM. */
    @Command(
            name = "start",
            description = "Start a node in the foreground (defaults: Seata port 8091, HTTP 7091, data in ./data).")
    static final class Start implements Callable<Integer> {
        @Option(names = "--help", usageHelp = true, description = "show this help")
        boolean help;

        @Option(
                names = {"-p", "--port"},
                description = "Seata RPC port (default 8091)")
        Integer port;

        @Option(names = "--http-port", description = "HTTP port (default 7091)")
        Integer httpPort;

        @Option(
                names = {"-h", "--host"},
                description = "address advertised in XIDs (default: first site IPv4)")
        String host;

        @Option(
                names = {"-d", "--data-dir"},
                description = "data directory (default ./data)")
        Path dataDir;

        @Option(names = "--raft-port", description = "Raft port (default: Seata port + 1000)")
        Integer raftPort;

        @Option(
                names = {"-c", "--config"},
                description = "settings file: properties or YAML (Seata's application.yml); Arbiter or Seata keys")
        Path configFile;

        @Option(
                names = "--cluster",
                description = "Raft addresses of all nodes, host:raftPort,... "
                        + "(Seata's seata.server.raft.server-addr); omit for a single node")
        String cluster;

        @Option(names = "--group", description = "Seata raft group name (default 'default')")
        String group;

        @Option(names = "--join", description = "join an existing cluster (added through its changeCluster API)")
        Boolean join;

        @Option(
                names = "--fragments",
                description = "fragments (Raft groups) a new cluster starts with " + "(arbiter.fragments, default 1)")
        Integer fragments;

        @Option(
                names = "--lock-fragments",
                description = "how many of the first fragments own the row-lock slots of a new cluster "
                        + "(arbiter.lock-fragments, default 1)")
        Integer lockFragments;

        @Option(
                names = "--lock-table",
                description = "memory (lock-only lock fragments, their rows in their leader's memory) or replicated "
                        + "(arbiter.lock-table, default memory; a new cluster with more than one fragment)")
        String lockTable;

        @Override
        public Integer call() throws Exception {
            Map<String, String> values = new LinkedHashMap<>();
            if (configFile != null) {
                values.putAll(ConfigLoader.readFile(configFile));
            }
            putIfSet(values, "arbiter.port", port);
            putIfSet(values, "arbiter.http-port", httpPort);
            putIfSet(values, "arbiter.host", host);
            putIfSet(values, "arbiter.data-dir", dataDir);
            putIfSet(values, "arbiter.raft-port", raftPort);
            putIfSet(values, "arbiter.cluster", cluster);
            putIfSet(values, "arbiter.group", group);
            putIfSet(values, "arbiter.join", join);
            putIfSet(values, "arbiter.fragments", fragments);
            putIfSet(values, "arbiter.lock-fragments", lockFragments);
            putIfSet(values, "arbiter.lock-table", lockTable);
            ArbiterConfig config;
            try {
                config = ConfigLoader.load(values);
            } catch (ConfigException e) {
                System.err.println("arbiter: cannot start: " + e.getMessage());
                return 2;
            }
            ArbiterNode node = ArbiterNode.start(config);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                node.close();
                                stopped.countDown();
                            },
                            "arbiter-shutdown"));
            stopped.await();
            return 0;
        }

        /** Command-line flags override the file; the file may use Seata's spelling, so drop its aliases. */
        private static void putIfSet(Map<String, String> values, String key, Object value) {
            if (value != null) {
                values.keySet().removeIf(k -> ConfigLoader.canonicalKeyOf(k).equals(key));
                values.put(key, value.toString());
            }
        }
    }
}
