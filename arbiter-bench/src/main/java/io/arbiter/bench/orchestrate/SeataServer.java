package io.arbiter.bench.orchestrate;

import io.arbiter.bench.load.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The Seata server 2.0.0 ({@code io.seata.server.ServerApplication}) on the classpath resolved from Maven Central
 * by {@code arbiter-bench/seata-server/pom.xml}: {@code file} mode with one node, or {@code raft} mode with N nodes
 * on loopback. Node k (base B): HTTP/console B-1000+k, Seata RPC B+k, Raft B+1000+k; each node runs in its own
 * fresh working directory (session store, raft log, logs).
 *
 * <p>Configuration is Spring Boot system properties over the application.yml inside seata-server-2.0.0.jar
 * (config and registry type file, console secret key set). The advertised host is {@value #HOST}: Seata refuses
 * 127.0.0.1 as its XID/raft address ({@code NetUtil.isValidIp(host, false)} forbids 127.0.0.1 and 0.0.0.0) and
 * would otherwise pick the machine's first site address, so a different loopback address keeps all traffic on
 * {@code lo}.
 */
final class SeataServer implements Coordinator {
    static final String HOST = "127.0.0.2";
    static final String MAIN = "io.seata.server.ServerApplication";

    private final boolean raft;
    private final int nodes;
    private final int basePort;
    private final String classpath;
    private final Path workDir;
    private final List<String> javaOpts;
    private final int readySeconds;
    private final List<ManagedProcess> processes = new ArrayList<>();

    SeataServer(
            boolean raft,
            int nodes,
            int basePort,
            String classpath,
            Path workDir,
            List<String> javaOpts,
            int readySeconds) {
        if (!raft && nodes != 1) {
            throw new IllegalArgumentException("Seata file mode runs one node");
        }
        this.raft = raft;
        this.nodes = nodes;
        this.basePort = basePort;
        this.classpath = classpath;
        this.workDir = workDir;
        this.javaOpts = javaOpts;
        this.readySeconds = readySeconds;
    }

    @Override
    public String label() {
        return raft ? "seata-raft-" + nodes : "seata-file";
    }

    /** The java command line of node k (public for the README and the tests). */
    List<String> command(int k) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        Path node = workDir.resolve("node-" + k);
        cmd.add("-Dserver.port=" + Ports.http(basePort, k));
        cmd.add("-Dseata.server.service-port=" + Ports.rpc(basePort, k));
        cmd.add("-Dseata.store.file.dir=" + node.resolve("sessionStore"));
        cmd.add("-Dlog.home=" + node.resolve("logs"));
        cmd.add("-Dseata.config.type=file");
        cmd.add("-Dseata.registry.type=file");
        cmd.add("-Dseata.metrics.enabled=false");
        if (raft) {
            StringJoiner peers = new StringJoiner(",");
            for (int i = 1; i <= nodes; i++) {
                peers.add(HOST + ":" + Ports.raft(basePort, i));
            }
            cmd.add("-Dseata.store.mode=raft");
            cmd.add("-Dseata.server.raft.group=" + Target.CLUSTER);
            cmd.add("-Dseata.server.raft.server-addr=" + peers);
            // the raft port of this node (Seata's "local debugging" switch: several nodes on one host)
            cmd.add("-Dserver.raftPort=" + Ports.raft(basePort, k));
        } else {
            cmd.add("-Dseata.store.mode=file");
        }
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(MAIN);
        cmd.addAll(List.of("-h", HOST));
        return cmd;
    }

    @Override
    public void start() throws Exception {
        Ports.awaitFree(Ports.all(basePort, nodes), 60);
        for (int k = 1; k <= nodes; k++) {
            Path node = workDir.resolve("node-" + k);
            processes.add(ManagedProcess.start(
                    label() + "-node-" + k, command(k), node, Map.of(), node.resolve("server.log")));
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

    private boolean ready() {
        for (int k = 1; k <= nodes; k++) {
            if (!Ports.accepts("127.0.0.1", Ports.rpc(basePort, k))
                    || !Ports.accepts("127.0.0.1", Ports.http(basePort, k))) {
                return false;
            }
        }
        return !raft || Http.clusterHasLeader("127.0.0.1:" + Ports.http(basePort, 1), Target.CLUSTER, nodes);
    }

    @Override
    public Target target() {
        List<String> addrs = new ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            addrs.add(raft ? "127.0.0.1:" + Ports.http(basePort, k) : HOST + ":" + Ports.rpc(basePort, k));
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
        processes.forEach(p -> p.stop(30));
        processes.clear();
    }
}
