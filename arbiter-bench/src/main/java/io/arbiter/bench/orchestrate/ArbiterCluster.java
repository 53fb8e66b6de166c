package io.arbiter.bench.orchestrate;

import io.arbiter.bench.load.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Arbiter through its launcher, with Seata's port layout (node k: HTTP B-1000+k, Seata RPC B+k, Raft B+1000+k) and
 * a fresh data directory:
 * <ul>
 *   <li>{@link Mode#LOCAL_CLUSTER}: {@code bin/arbiter start} for one node, {@code bin/arbiter local-cluster
 *       --nodes N --base-port B} for a cluster; clients use the raft registry (Arbiter's metadata API), or with
 *       {@code grouplist} the list of all nodes' RPC ports;</li>
 *   <li>{@link Mode#RAFT_LEADER}: N {@code bin/arbiter start --cluster ...} processes (what local-cluster runs)
 *       with {@code arbiter.metadata.leader-choice=RAFT_LEADER}, so that raft-registry clients go to the Raft
 *       leader as with Seata, instead of to the node they asked (the default, which forwards to the leader).</li>
 * </ul>
 */
final class ArbiterCluster implements Coordinator {
    enum Mode {
        LOCAL_CLUSTER,
        GROUPLIST,
        RAFT_LEADER
    }

    private final int nodes;
    private final int basePort;
    private final Path launcher;
    private final Path workDir;
    private final String javaOpts;
    private final int readySeconds;
    private final Mode mode;
    private final List<ManagedProcess> processes = new ArrayList<>();
    /** Extra properties for every node's config file (single node or RAFT_LEADER mode only). */
    private Map<String, String> extraConfig = Map.of();
    /** Fragments the cluster starts with ({@code --fragments}), or null for Arbiter's default. */
    private Integer fragments;
    /** Fragments owning the lock slots ({@code --lock-fragments}), or null for Arbiter's default. */
    private Integer lockFragments;
    /** Whether the lock table is replicated ({@code --lock-table replicated}, suffix -r) instead of Arbiter's default. */
    private boolean replicatedLocks;

    /**
     * @param launcher bin/arbiter
     * @param javaOpts heap etc. of each node JVM (ARBITER_JAVA_OPTS / ARBITER_NODE_JAVA_OPTS)
     */
    ArbiterCluster(int nodes, int basePort, Path launcher, Path workDir, String javaOpts, int readySeconds, Mode mode) {
        this.nodes = nodes;
        this.basePort = basePort;
        this.launcher = launcher;
        this.workDir = workDir;
        this.javaOpts = javaOpts;
        this.readySeconds = readySeconds;
        this.mode = nodes == 1 ? Mode.LOCAL_CLUSTER : mode;
    }

    /**
     * Extra properties (Arbiter or Seata keys) written into the nodes' config file, for instance
     * {@code arbiter.snapshot-interval-s}. Only for a single node or {@link Mode#RAFT_LEADER}: {@code bin/arbiter
     * local-cluster} takes no config file.
     */
    ArbiterCluster withConfig(Map<String, String> properties) {
        if (!properties.isEmpty() && nodes > 1 && mode != Mode.RAFT_LEADER) {
            throw new IllegalArgumentException("extra configuration needs one node or the RAFT_LEADER mode (" + label()
                    + " runs bin/arbiter local-cluster, which takes no config file)");
        }
        this.extraConfig = new java.util.LinkedHashMap<>(properties);
        return this;
    }

    /** The data directory of a single node (node k of a cluster uses its {@code node-k} subdirectory). */
    Path dataDir() {
        return workDir.resolve("data");
    }

    /**
     * arbiter-N, arbiter-N-grouplist, arbiter-N-leader, each optionally with -fF (F fragments), that optionally with
     * -lL (L of them owning the lock slots), then optionally -r (their locks replicated, not in the leader's memory).
     */
    static ArbiterCluster of(
            String label, int basePort, Path launcher, Path workDir, String javaOpts, int readySeconds) {
        String rest = label.substring("arbiter-".length());
        Integer fragments = null;
        Integer lockFragments = null;
        java.util.regex.Matcher f =
                java.util.regex.Pattern.compile("-f([0-9]+)(-l([0-9]+))?(-r)?$").matcher(rest);
        boolean replicated = false;
        if (f.find()) {
            fragments = Integer.parseInt(f.group(1));
            lockFragments = f.group(3) == null ? null : Integer.parseInt(f.group(3));
            replicated = f.group(4) != null;
            rest = rest.substring(0, f.start());
        }
        int dash = rest.indexOf('-');
        int nodes = Integer.parseInt(dash < 0 ? rest : rest.substring(0, dash));
        Mode mode = switch (dash < 0 ? "" : rest.substring(dash + 1)) {
            case "" -> Mode.LOCAL_CLUSTER;
            case "grouplist" -> Mode.GROUPLIST;
            case "leader" -> Mode.RAFT_LEADER;
            default -> throw new IllegalArgumentException("unknown configuration " + label);
        };
        ArbiterCluster cluster = new ArbiterCluster(nodes, basePort, launcher, workDir, javaOpts, readySeconds, mode);
        cluster.fragments = fragments;
        cluster.lockFragments = lockFragments;
        cluster.replicatedLocks = replicated;
        return cluster;
    }

    /** {@code GET /api/v1/cluster} of node 1 (fragments, replicas, leaders) into {@code cluster-at-end.json}. */
    @Override
    public void describeLayout(Path dir) {
        save(dir.resolve("cluster-at-end.json"), "/api/v1/cluster", 1);
        // every node's meters (e.g. commands per log entry: arbiter_fragment_commands_total / _entries_total)
        for (int k = 1; k <= nodes; k++) {
            save(dir.resolve("metrics-at-end-node-" + k + ".txt"), "/metrics", k);
        }
    }

    /** Writes node {@code k}'s answer to GET {@code path} into {@code file}, if it answers. */
    private void save(Path file, String path, int k) {
        Http.Response r = Http.get("http://127.0.0.1:" + Ports.http(basePort, k) + path);
        if (r == null || r.status() != 200) {
            return;
        }
        try {
            Files.writeString(file, r.body());
        } catch (IOException e) {
            // a description only: the run's figures stand without it
        }
    }

    @Override
    public String label() {
        return "arbiter-" + nodes
                + switch (mode) {
                    case LOCAL_CLUSTER -> "";
                    case GROUPLIST -> "-grouplist";
                    case RAFT_LEADER -> "-leader";
                }
                + (fragments == null ? "" : "-f" + fragments)
                + (lockFragments == null ? "" : "-l" + lockFragments)
                + (replicatedLocks ? "-r" : "");
    }

    private List<String> withFragments(List<String> cmd) {
        if (fragments == null) {
            return cmd;
        }
        List<String> all = new ArrayList<>(cmd);
        all.addAll(List.of("--fragments", fragments.toString()));
        if (lockFragments != null) {
            all.addAll(List.of("--lock-fragments", lockFragments.toString()));
        }
        if (replicatedLocks) {
            all.addAll(List.of("--lock-table", "replicated"));
        }
        return List.copyOf(all);
    }

    /** The launcher command (one per node in RAFT_LEADER mode, else one in all). */
    List<List<String>> commands() {
        Path data = workDir.resolve("data");
        if (nodes == 1) {
            List<String> cmd = new ArrayList<>(List.of(
                    launcher.toString(),
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(Ports.rpc(basePort, 1)),
                    "--http-port",
                    String.valueOf(Ports.http(basePort, 1)),
                    "--raft-port",
                    String.valueOf(Ports.raft(basePort, 1)),
                    "--data-dir",
                    data.toString()));
            if (!extraConfig.isEmpty()) {
                cmd.addAll(List.of(
                        "--config", workDir.resolve("arbiter.properties").toString()));
            }
            return List.of(withFragments(cmd));
        }
        if (mode != Mode.RAFT_LEADER) {
            return List.of(withFragments(List.of(
                    launcher.toString(),
                    "local-cluster",
                    "--nodes",
                    String.valueOf(nodes),
                    "--base-port",
                    String.valueOf(basePort),
                    "--data-dir",
                    data.toString())));
        }
        StringJoiner cluster = new StringJoiner(",");
        for (int k = 1; k <= nodes; k++) {
            cluster.add("127.0.0.1:" + Ports.raft(basePort, k));
        }
        List<List<String>> cmds = new ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            cmds.add(withFragments(List.of(
                    launcher.toString(),
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(Ports.rpc(basePort, k)),
                    "--http-port",
                    String.valueOf(Ports.http(basePort, k)),
                    "--raft-port",
                    String.valueOf(Ports.raft(basePort, k)),
                    "--data-dir",
                    data.resolve("node-" + k).toString(),
                    "--cluster",
                    cluster.toString(),
                    "--config",
                    workDir.resolve("arbiter.properties").toString())));
        }
        return cmds;
    }

    @Override
    public void start() throws Exception {
        Ports.awaitFree(Ports.all(basePort, nodes), 60);
        if (mode == Mode.RAFT_LEADER || !extraConfig.isEmpty()) {
            writeConfig();
        }
        // ARBITER_JAVA_OPTS: bin/arbiter's JVM; local-cluster adds ARBITER_NODE_JAVA_OPTS to each node's command
        // line as one argument (so it must be a single option)
        Map<String, String> env = Map.of("ARBITER_JAVA_OPTS", javaOpts, "ARBITER_NODE_JAVA_OPTS", javaOpts);
        List<List<String>> cmds = commands();
        for (int i = 0; i < cmds.size(); i++) {
            String name = cmds.size() == 1 ? label() : label() + "-node-" + (i + 1);
            processes.add(ManagedProcess.start(
                    name,
                    cmds.get(i),
                    workDir,
                    env,
                    workDir.resolve(cmds.size() == 1 ? "arbiter.log" : "arbiter-node-" + (i + 1) + ".log")));
        }
        long deadline = System.nanoTime() + readySeconds * 1_000_000_000L;
        while (!ready()) {
            for (ManagedProcess p : processes) {
                if (!p.alive()) {
                    throw new IllegalStateException(
                            p.name() + " exited during start; log " + p.log() + ":\n" + p.tail(30));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label() + " did not serve within " + readySeconds + " s; log "
                        + processes.get(0).log() + ":\n" + processes.get(0).tail(30));
            }
            Thread.sleep(500);
        }
    }

    private void writeConfig() throws IOException {
        Files.createDirectories(workDir);
        StringBuilder b = new StringBuilder();
        if (mode == Mode.RAFT_LEADER) {
            b.append("# raft-registry clients go to the Raft leader, as with Seata's raft mode\n")
                    .append("arbiter.metadata.leader-choice=RAFT_LEADER\n");
        }
        extraConfig.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Files.writeString(workDir.resolve("arbiter.properties"), b.toString());
    }

    private boolean ready() {
        for (int k = 1; k <= nodes; k++) {
            Http.Response health = Http.get("http://127.0.0.1:" + Ports.http(basePort, k) + "/health");
            if (health == null || health.status() != 200 || !Ports.accepts("127.0.0.1", Ports.rpc(basePort, k))) {
                return false;
            }
        }
        return nodes == 1 || Http.clusterHasLeader("127.0.0.1:" + Ports.http(basePort, 1), Target.CLUSTER, nodes);
    }

    @Override
    public Target target() {
        List<String> addrs = new ArrayList<>();
        boolean raft = nodes > 1 && mode != Mode.GROUPLIST;
        for (int k = 1; k <= nodes; k++) {
            addrs.add("127.0.0.1:" + (raft ? Ports.http(basePort, k) : Ports.rpc(basePort, k)));
        }
        return new Target(raft ? Target.Kind.RAFT : Target.Kind.GROUPLIST, addrs);
    }

    @Override
    public List<Long> pids() {
        return processes.stream().map(ManagedProcess::pid).toList();
    }

    @Override
    public List<Path> logs() {
        return processes.stream().map(ManagedProcess::log).toList();
    }

    @Override
    public void close() {
        processes.forEach(ManagedProcess::requestStop);
        processes.forEach(p -> p.stop(45));
        processes.clear();
    }
}
