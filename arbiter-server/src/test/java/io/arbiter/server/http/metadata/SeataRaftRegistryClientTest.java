package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.server.cluster.ClusterMember;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.seata.discovery.registry.RegistryService;
import org.apache.seata.discovery.registry.raft.RaftRegistryProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The unmodified Seata 2.5.0 raft-registry client ({@code RaftRegistryServiceImpl}) against three metadata APIs with
 * authentication on: first with {@link LeaderChoice#SELF}, then (steps 6 and 7, same ports) with the default
 * {@link LeaderChoice#CLIENT_ADDRESS}. The client keeps its state in statics, so the steps share one client and run
 * in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeataRaftRegistryClientTest {
    private static final String TX_GROUP = "arbiter_tx_group";
    private static final Map<String, String> SEATA_PROPERTIES = new LinkedHashMap<>();
    private static final List<ApiFixture> NODES = new ArrayList<>();
    private static final List<ClusterMember> MEMBERS = new ArrayList<>();
    private static FakeCluster cluster;
    private static RegistryService<?> registry;

    @BeforeAll
    static void startNodesAndClient() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int http = ApiFixture.freePort();
            // the client never connects to the transaction ports here
            MEMBERS.add(new ClusterMember("n" + i, "127.0.0.1", 40000 + i, http, 50000 + i));
            addresses.add("127.0.0.1:" + http);
        }
        cluster = new FakeCluster("default", MEMBERS, 1);
        MetadataApiConfig config =
                AuthTest.AUTH.withWatchTimeout(Duration.ofSeconds(20)).withLeaderChoice(LeaderChoice.SELF);
        for (ClusterMember m : MEMBERS) {
            NODES.add(new ApiFixture(cluster.view(m), config, Clock.systemUTC(), m.httpPort()));
        }
        SEATA_PROPERTIES.put("config.type", "file");
        SEATA_PROPERTIES.put("config.file.name", "arbiter-no-such-file.conf");
        SEATA_PROPERTIES.put("registry.type", "raft");
        SEATA_PROPERTIES.put("registry.raft.serverAddr", String.join(",", addresses));
        SEATA_PROPERTIES.put("registry.raft.username", "seata");
        SEATA_PROPERTIES.put("registry.raft.password", "s3cret");
        SEATA_PROPERTIES.put("service.vgroupMapping." + TX_GROUP, "default");
        SEATA_PROPERTIES.forEach(System::setProperty);
        registry = new RaftRegistryProvider().provide();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            try {
                registry.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        NODES.forEach(ApiFixture::close);
        SEATA_PROPERTIES.keySet().forEach(System::clearProperty);
    }

    @Test
    @Order(1)
    void lookupLogsInAndReturnsEveryNodeWithTheAnsweringNodeAsLeader() throws Exception {
        List<InetSocketAddress> found = lookup();

        assertThat(found).containsExactlyInAnyOrderElementsOf(rpcAddresses(MEMBERS));
        assertThat(cluster.fetches).hasSize(1);
        assertThat(leader()).isEqualTo(rpcOf(cluster.fetches.get(0)));
    }

    /** Each term change wakes the client's watch; it fetches from a random node, which names itself. */
    @Test
    @Order(2)
    void watchTriggeredFetchesSpreadTheClientOverAllNodes() {
        Set<InetSocketAddress> leaders = new HashSet<>();
        for (int i = 0; i < 40 && leaders.size() < 3; i++) {
            int fetches = cluster.fetches.size();
            cluster.bumpTerm();
            await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.fetches.size() > fetches);
            String answering = cluster.fetches.get(cluster.fetches.size() - 1);
            await().atMost(5, TimeUnit.SECONDS).until(() -> leader().equals(rpcOf(answering)));
            leaders.add(leader());
        }
        assertThat(leaders).containsExactlyInAnyOrderElementsOf(rpcAddresses(MEMBERS));
    }

    /** What the netty client's reconnect timer does: alive nodes minus the leader become the fetch targets. */
    @Test
    @Order(3)
    void theClientNeverFetchesFromItsLeaderOnceItKnowsTheAliveNodes() {
        InetSocketAddress leader = leader();
        String leaderId = idOfRpc(leader);
        registry.refreshAliveLookup(TX_GROUP, rpcAddresses(MEMBERS));
        int from = cluster.fetches.size();
        for (int i = 0; i < 10; i++) {
            int fetches = cluster.fetches.size();
            cluster.bumpTerm();
            await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.fetches.size() > fetches);
        }
        List<String> after = new ArrayList<>(cluster.fetches.subList(from + 1, cluster.fetches.size()));
        assertThat(after).isNotEmpty().doesNotContain(leaderId);
    }

    @Test
    @Order(4)
    void aMembershipChangeReachesTheClientThroughTheWatch() {
        registry.refreshAliveLookup(TX_GROUP, List.of());
        List<ClusterMember> remaining = MEMBERS.subList(0, 2);
        cluster.change(remaining, "n1");

        await().atMost(10, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(lookup()).containsExactlyInAnyOrderElementsOf(rpcAddresses(remaining)));
        await().atMost(5, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(rpcAddresses(remaining)).contains(leader()));
    }

    /**
     * The node the client sends to dies: the node it watches sees that (here: the fake view says so) and answers
     * the parked watch, and the client fetches metadata naming a live node, within a second rather than at its
     * next 30 s refresh.
     */
    @Test
    @Order(5)
    void aClientLeavesItsNodeAsSoonAsTheWatchedNodeSeesItUnreachable() {
        List<ClusterMember> remaining = MEMBERS.subList(0, 2);
        registry.refreshAliveLookup(TX_GROUP, rpcAddresses(remaining)); // the netty client's reconnect timer
        String before = idOfRpc(leader());
        long start = System.nanoTime();

        cluster.reachable(before, false);

        await().atMost(5, TimeUnit.SECONDS).until(() -> !idOfRpc(leader()).equals(before));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        cluster.reachable(before, true);
    }

    /** The default choice: every node names the same member for this client, so refetches never move it. */
    @Test
    @Order(6)
    void withTheDefaultChoiceTheClientKeepsItsNodeWhicheverNodeAnswers() throws Exception {
        List<ClusterMember> remaining = MEMBERS.subList(0, 2);
        restartApis(MetadataApiConfig.open().leaderChoice());
        registry.refreshAliveLookup(TX_GROUP, List.of()); // fetch from any node of the list
        InetSocketAddress chosen = expectedByClientAddress(remaining);
        cluster.bumpTerm();
        await().atMost(10, TimeUnit.SECONDS).until(() -> leader().equals(chosen));

        Set<String> answering = new HashSet<>();
        for (int i = 0; i < 30 && answering.size() < 2; i++) {
            int fetches = cluster.fetches.size();
            cluster.bumpTerm();
            await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.fetches.size() > fetches);
            answering.add(cluster.fetches.get(cluster.fetches.size() - 1));
            assertThat(leader()).isEqualTo(chosen);
        }
        assertThat(answering).as("nodes that answered a fetch").hasSize(2);
    }

    /** Its node unreachable: every node names the next member; reachable again: the client returns. */
    @Test
    @Order(7)
    void withTheDefaultChoiceTheClientLeavesAnUnreachableNodeAndComesBack() {
        List<ClusterMember> remaining = MEMBERS.subList(0, 2);
        registry.refreshAliveLookup(TX_GROUP, rpcAddresses(remaining));
        InetSocketAddress chosen = leader();
        String chosenId = idOfRpc(chosen);
        long start = System.nanoTime();

        cluster.reachable(chosenId, false);

        await().atMost(5, TimeUnit.SECONDS).until(() -> !leader().equals(chosen));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        cluster.reachable(chosenId, true);
        await().atMost(5, TimeUnit.SECONDS).until(() -> leader().equals(chosen));
    }

    private static void restartApis(LeaderChoice choice) throws Exception {
        for (int i = 0; i < NODES.size(); i++) {
            NODES.get(i).close();
            NODES.set(
                    i,
                    new ApiFixture(
                            cluster.view(MEMBERS.get(i)),
                            AuthTest.AUTH
                                    .withWatchTimeout(Duration.ofSeconds(20))
                                    .withLeaderChoice(choice),
                            Clock.systemUTC(),
                            MEMBERS.get(i).httpPort()));
        }
    }

    private static InetSocketAddress expectedByClientAddress(List<ClusterMember> members) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ClusterMember m = LeaderChoice.CLIENT_ADDRESS.choose(cluster.view(members.get(0)), members, loopback);
        return new InetSocketAddress(m.host(), m.rpcPort());
    }

    private static List<InetSocketAddress> lookup() throws Exception {
        return registry.lookup(TX_GROUP);
    }

    private static InetSocketAddress leader() {
        List<InetSocketAddress> alive = registry.aliveLookup(TX_GROUP);
        assertThat(alive).hasSize(1);
        return alive.get(0);
    }

    private static List<InetSocketAddress> rpcAddresses(List<ClusterMember> members) {
        return members.stream()
                .map(m -> new InetSocketAddress(m.host(), m.rpcPort()))
                .toList();
    }

    private static InetSocketAddress rpcOf(String id) {
        return rpcAddresses(MEMBERS.stream().filter(m -> m.id().equals(id)).toList())
                .get(0);
    }

    private static String idOfRpc(InetSocketAddress rpc) {
        return MEMBERS.stream()
                .filter(m -> m.rpcPort() == rpc.getPort())
                .findFirst()
                .orElseThrow()
                .id();
    }
}
