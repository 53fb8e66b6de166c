package io.arbiter.compat.ha;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.server.ArbiterEndpoint;
import io.arbiter.compat.server.ArbiterProcess;
import io.arbiter.compat.server.Health;
import io.arbiter.compat.server.RunningTc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A cluster of Arbiter nodes, each in its own JVM ({@link ArbiterProcess}), on a {@link ClusterNetwork}. Nodes
 * are found by index (0-based, named {@code node-k}); the leader is whichever live node's {@code /health} says
 * {@code "role":"leader"}.
 *
 * <p>As an {@link ArbiterEndpoint} it stands for the whole cluster: {@link #clientProperties} is what a Seata
 * client needs to use every node, in the chosen {@link Discovery} mode (the port methods name node 0).
 *
 * <p>Threading: driven by one test thread; {@link #health} and {@link #leader} may be called from any thread.
 */
public final class ArbiterCluster implements RunningTc, ClientSettings.Source {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);

    private final ClusterNetwork network;
    private final Discovery discovery;
    private final List<ArbiterProcess> nodes = new ArrayList<>();
    private String name;
    private Map<String, String> settings = Map.of();

    private ArbiterCluster(ClusterNetwork network, Discovery discovery) {
        this.network = network;
        this.discovery = discovery;
    }

    /**
     * Starts one node per slot of {@code network} with {@code settings} ({@code arbiter.*} keys) and waits until
     * every node serves and one of them leads.
     */
    public static ArbiterCluster start(
            String name, ClusterNetwork network, Discovery discovery, Map<String, String> settings) throws IOException {
        return startFirst(name, network, discovery, settings, network.size());
    }

    /**
     * Starts the first {@code count} slots of {@code network} as the cluster (the others stay free for
     * {@link #join}) and waits until every node serves and one of them leads.
     */
    public static ArbiterCluster startFirst(
            String name, ClusterNetwork network, Discovery discovery, Map<String, String> settings, int count)
            throws IOException {
        ArbiterCluster cluster = new ArbiterCluster(network, discovery);
        cluster.name = name;
        cluster.settings = Map.copyOf(settings);
        String members = cluster.raftList(count);
        try {
            for (int k = 0; k < count; k++) {
                cluster.nodes.add(ArbiterProcess.launch(new ArbiterProcess.Spec(
                        name + "-node-" + k,
                        network.host(k),
                        network.port(k),
                        network.httpPort(k),
                        network.raftPort(k),
                        members,
                        settings,
                        network.wrapper(k))));
            }
            for (ArbiterProcess node : cluster.nodes) {
                node.awaitServing(START_TIMEOUT);
            }
            cluster.awaitLeader(Duration.ofSeconds(60), Set.of());
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private String raftList(int count) {
        return IntStream.range(0, count)
                .mapToObj(k -> network.host(k) + ":" + network.raftPort(k))
                .collect(Collectors.joining(","));
    }

    /**
     * Starts the next free slot of the network as a new node ({@code --join}) and adds it to the cluster through
     * node 0's {@code /metadata/v1/changeCluster}, as an operator would; returns its index once the change is
     * committed.
     */
    public int join() throws IOException, InterruptedException {
        int k = nodes.size();
        if (k >= network.size()) {
            throw new IllegalStateException("the network has no free slot for another node");
        }
        Map<String, String> joining = new java.util.HashMap<>(settings);
        joining.put("arbiter.join", "true");
        ArbiterProcess node = ArbiterProcess.launch(new ArbiterProcess.Spec(
                name + "-node-" + k,
                network.host(k),
                network.port(k),
                network.httpPort(k),
                network.raftPort(k),
                raftList(k + 1),
                joining,
                network.wrapper(k)));
        nodes.add(node);
        node.awaitServing(START_TIMEOUT);
        ArbiterProcess via = nodes.get(0);
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://"
                                        + via.host() + ":" + via.httpPort()
                                        + "/metadata/v1/changeCluster?raftClusterStr="
                                        + raftList(k + 1)))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .timeout(Duration.ofSeconds(90))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "changeCluster adding node-" + k + " answered " + r.statusCode() + " " + r.body());
        }
        return k;
    }

    /** {@code POST path} with form parameters on node {@code via}'s HTTP API; returns status and body. */
    public HttpResponse<String> post(int via, String path, String query) throws IOException, InterruptedException {
        ArbiterProcess node = nodes.get(via);
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://" + node.host() + ":" + node.httpPort() + path + "?" + query))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} on node {@code via}'s HTTP API; returns the body of a 200 answer, else throws. */
    public String get(int via, String path) throws IOException, InterruptedException {
        ArbiterProcess node = nodes.get(via);
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + node.host() + ":" + node.httpPort() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " on node-" + via + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    public int size() {
        return nodes.size();
    }

    public ArbiterProcess node(int k) {
        return nodes.get(k);
    }

    public List<ArbiterProcess> nodes() {
        return List.copyOf(nodes);
    }

    public ClusterNetwork network() {
        return network;
    }

    /** The node whose XIDs start with {@code xid}'s {@code host:port}, or -1. */
    public int nodeOfXid(String xid) {
        if (xid == null) {
            return -1;
        }
        for (int k = 0; k < nodes.size(); k++) {
            if (xid.startsWith(nodes.get(k).address() + ":")) {
                return k;
            }
        }
        return -1;
    }

    /** Every node's {@code /health} (empty for a node that is down or does not answer quickly). */
    public List<Optional<Health.Report>> health() {
        return nodes.stream().map(n -> n.health(PROBE_TIMEOUT)).toList();
    }

    /** The live nodes that say they lead (more than one only while a cut-off old leader has not noticed). */
    public List<Integer> leaders() {
        List<Optional<Health.Report>> health = health();
        return IntStream.range(0, nodes.size())
                .filter(k -> health.get(k).map(r -> r.serving() && r.leader()).orElse(false))
                .boxed()
                .toList();
    }

    /** The one live node that says it leads, if exactly one does. */
    public Optional<Integer> leader() {
        List<Integer> leaders = leaders();
        return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
    }

    /**
     * Waits until a node outside {@code excluded} says it leads and no other node outside {@code excluded} does;
     * returns it.
     */
    public int awaitLeader(Duration timeout, Set<Integer> excluded) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = leaders().stream().filter(k -> !excluded.contains(k)).toList();
            if (seen.size() == 1) {
                return seen.get(0);
            }
            sleep(50);
        }
        throw new IllegalStateException("no single leader outside " + excluded + " within " + timeout + " (leaders: "
                + seen + "); health: " + health());
    }

    /**
     * The node that the raft-registry metadata, fetched from node {@code via} by this JVM, names LEADER: the node a
     * raft-registry client on this host sends its requests to.
     */
    public int nodeNamedForThisHost(int via) throws IOException, InterruptedException {
        ArbiterProcess from = nodes.get(via);
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://" + from.host() + ":" + from.httpPort() + "/metadata/v1/cluster"))
                                .timeout(PROBE_TIMEOUT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Pattern port = Pattern.compile("\"transaction\":\\{\"host\":\"[^\"]*\",\"port\":(\\d+)");
        for (String node : r.body().split("\\{\"control\"")) {
            Matcher m = port.matcher(node);
            if (node.contains("\"role\":\"LEADER\"") && m.find()) {
                int rpc = Integer.parseInt(m.group(1));
                for (int k = 0; k < nodes.size(); k++) {
                    if (nodes.get(k).port() == rpc) {
                        return k;
                    }
                }
            }
        }
        throw new IllegalStateException("no LEADER of this cluster in " + r.body());
    }

    /** SIGKILL to node {@code k}; returns once the process is gone. */
    public void kill9(int k) throws InterruptedException {
        nodes.get(k).kill9();
    }

    /** Starts node {@code k} again on its data directory and waits until it serves. */
    public void restart(int k) throws IOException {
        nodes.get(k).restart();
    }

    /**
     * Every node's Seata address, separated by {@code ;} (Seata's {@code service.default.grouplist}: the file
     * registry splits it on semicolons; with commas the client takes the whole list for one address).
     */
    public String grouplist() {
        return nodes.stream().map(ArbiterProcess::address).collect(Collectors.joining(";"));
    }

    /** Every node's HTTP address, comma-separated (Seata's {@code registry.raft.serverAddr}). */
    public String registryAddresses() {
        return nodes.stream().map(n -> n.host() + ":" + n.httpPort()).collect(Collectors.joining(","));
    }

    /** The Seata addresses of the nodes with these indexes (a grouplist for part of the cluster). */
    public String grouplist(Set<Integer> indexes) {
        StringJoiner j = new StringJoiner(";");
        indexes.stream().sorted().forEach(k -> j.add(nodes.get(k).address()));
        return j.toString();
    }

    @Override
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("service.vgroupMapping." + ClientSettings.TX_GROUP, "default");
        if (discovery == Discovery.STATIC_GROUPLIST) {
            p.put("service.default.grouplist", grouplist());
        } else {
            p.put("registry.type", "raft");
            p.put("registry.raft.serverAddr", registryAddresses());
        }
        return p;
    }

    public Discovery discovery() {
        return discovery;
    }

    /**
     * The cluster as a client that only knows the nodes {@code indexes} sees it (a grouplist of just those nodes,
     * or with the raft registry, just their HTTP addresses), e.g. an application on the majority side of a
     * partition.
     */
    public ArbiterEndpoint clientView(Set<Integer> indexes) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("service.vgroupMapping." + ClientSettings.TX_GROUP, "default");
        if (discovery == Discovery.STATIC_GROUPLIST) {
            p.put("service.default.grouplist", grouplist(indexes));
        } else {
            p.put("registry.type", "raft");
            p.put(
                    "registry.raft.serverAddr",
                    indexes.stream()
                            .sorted()
                            .map(k -> nodes.get(k).host() + ":" + nodes.get(k).httpPort())
                            .collect(Collectors.joining(",")));
        }
        ArbiterProcess first = nodes.get(indexes.stream().sorted().findFirst().orElseThrow());
        return new View(first, p);
    }

    private record View(ArbiterProcess first, Map<String, String> clientProperties)
            implements ArbiterEndpoint, ClientSettings.Source {
        @Override
        public String host() {
            return first.host();
        }

        @Override
        public int port() {
            return first.port();
        }

        @Override
        public int httpPort() {
            return first.httpPort();
        }
    }

    @Override
    public String host() {
        return nodes.get(0).host();
    }

    /** XIDs name the node that took the begin: any node of the cluster. */
    @Override
    public String xidPattern() {
        return "^("
                + nodes.stream()
                        .map(n -> n.host().replace(".", "\\.") + ":" + n.port())
                        .collect(Collectors.joining("|"))
                + "):[1-9][0-9]*$";
    }

    @Override
    public int port() {
        return nodes.get(0).port();
    }

    @Override
    public int httpPort() {
        return nodes.get(0).httpPort();
    }

    /** The last lines of every node's output, for failure messages. */
    public String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        for (ArbiterProcess n : nodes) {
            b.append("==== ")
                    .append(n.name())
                    .append(" (")
                    .append(n.logFile())
                    .append(")\n")
                    .append(n.logTail(lines))
                    .append('\n');
        }
        return b.toString();
    }

    /** Stops every node (SIGTERM, then SIGKILL), then removes the network. */
    @Override
    public void close() {
        nodes.parallelStream().forEach(ArbiterProcess::close);
        network.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
