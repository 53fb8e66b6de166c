package io.arbiter.compat.ha;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Linux network namespace per node, each with a veth pair to a bridge in this (the test's) namespace:
 * <pre>
 *   test JVM, PostgreSQL ── bridge arbha&lt;tag&gt;b 10.213.S.1/24
 *                              ├── veth ── netns arbha&lt;tag&gt;n0: eth0 10.213.S.11  (node 0)
 *                              ├── veth ── netns arbha&lt;tag&gt;n1: eth0 10.213.S.12  (node 1)
 *                              └── veth ── netns arbha&lt;tag&gt;n2: eth0 10.213.S.13  (node 2)
 * </pre>
 * Every node has its own address, so all of them use Seata's default ports (HTTP 7091, RPC 8091, Raft 9091), and
 * traffic between two nodes can be cut without touching the clients: {@link #isolate} adds {@code blackhole}
 * routes inside the namespaces (node k drops what it sends to the others, and they drop what they send to k),
 * which needs nothing but iproute2. Packets of established connections are dropped silently, as in a real
 * partition; the test JVM still reaches every node over the bridge.
 *
 * <p>Needs root (CAP_NET_ADMIN) and {@code ip} with {@code netns}; {@link #create} fails with a message saying
 * what is missing. Namespaces left behind by a JVM that died are removed by the next {@link #create}
 * (ownership is recorded in {@code /tmp/arbiter-ha-netns/<tag>}).
 */
public final class NamespaceNetwork implements ClusterNetwork {
    private static final String PREFIX = "arbha";
    private static final Path OWNERS = Path.of(System.getProperty("java.io.tmpdir"), "arbiter-ha-netns");
    private static final int RAFT_PORT = 9091;

    private final int size;
    private final String tag;
    private final int subnet;
    private final Set<List<String>> cuts = new LinkedHashSet<>();
    private final Thread cleaner = new Thread(this::removeQuietly, "arbiter-netns-cleanup");

    private NamespaceNetwork(int size, String tag, int subnet) {
        this.size = size;
        this.tag = tag;
        this.subnet = subnet;
    }

    /** Creates the bridge and one namespace per node; fails with a clear message when that is not possible. */
    public static NamespaceNetwork create(int size) {
        requireRootAndIp();
        removeLeftovers();
        String tag = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        NamespaceNetwork net = new NamespaceNetwork(size, tag, freeSubnet());
        try {
            Files.createDirectories(OWNERS);
            Files.writeString(
                    OWNERS.resolve(tag), String.valueOf(ProcessHandle.current().pid()));
            Runtime.getRuntime().addShutdownHook(net.cleaner);
            net.build();
        } catch (IOException | RuntimeException e) {
            net.close();
            throw new IllegalStateException(
                    "cannot set up network namespaces for the partition test (needs root"
                            + " and iproute2 with netns): " + e.getMessage(),
                    e);
        }
        return net;
    }

    /** Throws with an explanation unless this JVM runs as root and {@code ip netns} works. */
    public static void requireRootAndIp() {
        String uid = readUid();
        if (!"0".equals(uid)) {
            throw new IllegalStateException("the partition test needs root (it creates network namespaces with"
                    + " 'ip netns'); this JVM runs as uid " + uid);
        }
        try {
            run("ip", "netns", "list");
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "the partition test needs iproute2's 'ip netns' (apt-get install" + " iproute2): " + e.getMessage(),
                    e);
        }
    }

    private void build() {
        String bridge = bridge();
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "addr", "add", gateway() + "/24", "dev", bridge);
        run("ip", "link", "set", bridge, "up");
        for (int k = 0; k < size; k++) {
            String ns = namespace(k);
            String veth = PREFIX + tag + "v" + k;
            String peer = PREFIX + tag + "p" + k;
            run("ip", "netns", "add", ns);
            run("ip", "link", "add", veth, "type", "veth", "peer", "name", peer);
            run("ip", "link", "set", peer, "netns", ns);
            run("ip", "link", "set", veth, "master", bridge);
            run("ip", "link", "set", veth, "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", ns, "link", "set", peer, "name", "eth0");
            run("ip", "-n", ns, "addr", "add", host(k) + "/24", "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
            run("ip", "-n", ns, "route", "add", "default", "via", gateway());
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String host(int k) {
        return "10.213." + subnet + "." + (11 + k);
    }

    @Override
    public int raftPort(int k) {
        return RAFT_PORT;
    }

    @Override
    public List<String> wrapper(int k) {
        return List.of("ip", "netns", "exec", namespace(k));
    }

    @Override
    public synchronized void isolate(int k) {
        for (int j = 0; j < size; j++) {
            if (j != k) {
                cut(namespace(k), host(j));
                cut(namespace(j), host(k));
            }
        }
    }

    private void cut(String ns, String destination) {
        List<String> route = List.of(ns, destination);
        if (cuts.add(route)) {
            run("ip", "-n", ns, "route", "add", "blackhole", destination + "/32");
        }
    }

    @Override
    public synchronized void heal() {
        for (List<String> route : new ArrayList<>(cuts)) {
            run("ip", "-n", route.get(0), "route", "del", "blackhole", route.get(1) + "/32");
            cuts.remove(route);
        }
    }

    @Override
    public String describe() {
        return size + " network namespaces " + namespace(0) + ".." + namespace(size - 1) + " on bridge " + bridge()
                + " (" + host(0) + ".." + host(size - 1) + ", HTTP 7091, RPC 8091, Raft 9091)";
    }

    /** Deletes the namespaces and the bridge (stop the processes inside first). */
    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleaner);
        } catch (IllegalStateException ignored) {
            // shutting down: the hook runs anyway
        }
    }

    private void removeQuietly() {
        remove(tag, size);
    }

    private static void remove(String tag, int size) {
        for (int k = 0; k < size; k++) {
            runQuietly("ip", "netns", "del", PREFIX + tag + "n" + k);
        }
        runQuietly("ip", "link", "del", PREFIX + tag + "b");
        try {
            Files.deleteIfExists(OWNERS.resolve(tag));
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Removes namespaces and bridges of earlier runs whose JVM is gone. */
    private static void removeLeftovers() {
        if (!Files.isDirectory(OWNERS)) {
            return;
        }
        try (Stream<Path> owners = Files.list(OWNERS)) {
            for (Path owner : owners.toList()) {
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(owner).trim());
                } catch (IOException | NumberFormatException e) {
                    pid = -1;
                }
                if (pid < 0
                        || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    remove(owner.getFileName().toString(), 9);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeSubnet() {
        String routes = run("ip", "-4", "route", "show", "table", "all");
        for (int attempt = 0; attempt < 100; attempt++) {
            int s = ThreadLocalRandom.current().nextInt(256);
            if (!routes.contains("10.213." + s + ".")) {
                return s;
            }
        }
        throw new IllegalStateException("no free 10.213.x.0/24 subnet");
    }

    private String namespace(int k) {
        return PREFIX + tag + "n" + k;
    }

    private String bridge() {
        return PREFIX + tag + "b";
    }

    private String gateway() {
        return "10.213." + subnet + ".1";
    }

    private static String readUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1]; // effective uid
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    /** Runs a command; returns its output, or throws with the command and its output when it fails. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": no answer within 30 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited with " + p.exitValue() + ": " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
