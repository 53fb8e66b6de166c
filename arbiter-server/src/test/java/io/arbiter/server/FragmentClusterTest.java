package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.server.coordinator.TransactionRequests;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.SlotMap;
import io.arbiter.server.rpc.ClientSession;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM with eight fragments, over real sockets: leaders spread over the nodes, a node's begins go
 * to fragments it leads (so follow-ups need no forward), locks taken on one node are seen from another, the
 * operator primitives move a fragment's replicas and leader and retire it, and the cluster keeps serving after a
 * node stops.
 */
class FragmentClusterTest {
    private static final String DB = "jdbc:postgresql://db/cluster";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final List<ArbiterNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(ArbiterNode::close);
    }

    private void startCluster(int fragments) throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 3, settings(fragments, true)));
    }

    /** A cluster where only the operator moves things (automatic placement would undo the manual moves). */
    private void startClusterWithoutPlacement(int fragments) throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 3, settings(fragments, false)));
    }

    /** Lock slots in every fragment: the lock tests below want rows owned by different fragments. */
    private static Map<String, String> settings(int fragments, boolean placement) {
        return Map.of(
                "arbiter.fragments",
                String.valueOf(fragments),
                "arbiter.lock-fragments",
                String.valueOf(fragments),
                "arbiter.placement.enabled",
                String.valueOf(placement));
    }

    private static String id(ArbiterNode node) {
        return node.config().selfId();
    }

    private static RawSeataClient tm(ArbiterNode node) throws Exception {
        return RawSeataClient.tm(node.port());
    }

    private static RawSeataClient rm(ArbiterNode node) throws Exception {
        return RawSeataClient.rm(node.port(), DB, "2.5.0");
    }

    private static JsonNode api(ArbiterNode via, String method, String path, Map<String, String> params)
            throws Exception {
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + via.httpPort() + path + query))
                .timeout(Duration.ofSeconds(100));
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        method.equals("GET")
                                ? b.GET().build()
                                : b.POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static long ledBy(ArbiterNode node) {
        return node.fragments().ledHere().size();
    }

    @Test
    void leadersSpreadBeginsStayOnTheirNodeAndLocksAreSeenEverywhere() throws Exception {
        startCluster(8);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(nodes.stream().mapToLong(FragmentClusterTest::ledBy).sum())
                    .isEqualTo(8);
            assertThat(nodes).allSatisfy(n -> assertThat(ledBy(n)).isBetween(2L, 3L));
        });
        for (ArbiterNode node : nodes) {
            try (RawSeataClient tm = tm(node)) {
                for (int i = 0; i < 6; i++) {
                    String xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "tx"))).xid();
                    assertThat(xid).startsWith("127.0.0.1:" + node.port() + ":");
                    int fragment = FragmentIds.fragmentOfId(Long.parseLong(xid.substring(xid.lastIndexOf(':') + 1)));
                    assertThat(node.fragments().local(fragment).map(Fragment::isLeader))
                            .hasValue(true);
                    tm.call(new GlobalRollbackRequest(xid));
                }
            }
        }

        ArbiterNode a = nodes.get(0);
        ArbiterNode b = nodes.get(1);
        SlotMap slots = a.fragments().slots();
        List<String> pks = new ArrayList<>();
        for (int pk = 1; pks.size() < 8; pk++) { // one row in every fragment
            int owner = slots.ownerOf(LockKeys.rowKeys(DB, "t:" + pk).get(0));
            if (pks.stream()
                    .noneMatch(p -> slots.ownerOf(LockKeys.rowKeys(DB, "t:" + p).get(0)) == owner)) {
                pks.add(String.valueOf(pk));
            }
        }
        try (RawSeataClient tmA = tm(a);
                RawSeataClient rmB = rm(b);
                RawSeataClient tmB = tm(b)) {
            String holder = ((GlobalBeginResponse) tmA.call(new GlobalBeginRequest(60_000, "h"))).xid();
            BranchRegisterResponse held = (BranchRegisterResponse)
                    rmB.call(new BranchRegisterRequest(holder, BranchType.AT, DB, "t:" + String.join(",", pks), null));
            assertThat(held.resultCode()).as(held.msg()).isEqualTo(ResultCode.Success);
            for (String pk : pks) {
                String other = ((GlobalBeginResponse) tmB.call(new GlobalBeginRequest(60_000, "o"))).xid();
                BranchRegisterResponse conflict = (BranchRegisterResponse)
                        rmB.call(new BranchRegisterRequest(other, BranchType.AT, DB, "t:" + pk, null));
                assertThat(conflict.exceptionCode()).isEqualTo(TransactionExceptionCode.LockKeyConflict);
                tmB.call(new GlobalRollbackRequest(other));
            }
            GlobalCommitResponse commit = (GlobalCommitResponse) tmA.call(new GlobalCommitRequest(holder));
            assertThat(commit.globalStatus()).isEqualTo(GlobalStatus.Committed);
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(nodes.stream()
                                    .flatMap(n -> n.fragments().ledHere().stream())
                                    .mapToInt(f -> f.stateMachine().lockCount())
                                    .sum())
                            .isZero());
        }
    }

    @Test
    void operatorsCreateMoveTransferAndRetireAFragment() throws Exception {
        startClusterWithoutPlacement(2);
        ArbiterNode a = nodes.get(0);
        ArbiterNode b = nodes.get(1);
        ArbiterNode c = nodes.get(2);
        for (ArbiterNode n : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode doc = api(n, "GET", "/api/v1/fragments", Map.of());
                return doc.path("replicated").asBoolean()
                        && doc.path("fragments").size() == 2;
            });
        }

        api(a, "POST", "/api/v1/fragments/create", Map.of("fragment", "5", "replicas", id(a) + "," + id(b)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.fragments().local(5).isPresent()
                        && b.fragments().local(5).isPresent()
                        && a.fragments().local(5).get().leaderId().isPresent());
        assertThat(c.fragments().local(5)).isEmpty();

        api(a, "POST", "/api/v1/fragments/add-replica", Map.of("fragment", "5", "node", id(c)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> c.fragments().local(5).isPresent()
                        && c.fragments().local(5).get().group().peers().size() == 3);
        api(b, "POST", "/api/v1/fragments/transfer-leader", Map.of("fragment", "5", "node", id(c)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> c.fragments().local(5).get().isLeader());

        api(c, "POST", "/api/v1/fragments/remove-replica", Map.of("fragment", "5", "node", id(a)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.fragments().local(5).isEmpty());
        // b learns the new map when its meta replica applies it (a moment after the node that removed its replica)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode listed = api(b, "GET", "/api/v1/fragments", Map.of());
            JsonNode five = null;
            for (JsonNode f : listed.path("fragments")) {
                if (f.path("id").asInt() == 5) {
                    five = f;
                }
            }
            assertThat(five).isNotNull();
            assertThat(five.path("replicas").toString()).contains(id(b), id(c)).doesNotContain(id(a));
            assertThat(five.path("leader").asText()).isEqualTo(id(c));
            assertThat(five.path("lockSlots").asInt()).isZero();
        });

        // a row that a transaction of fragment 5 still holds in a slot-owning fragment (its release was lost)
        String row = "jdbc:pg/db^^^stock^^^orphan";
        int owner = a.fragments().slots().ownerOf(row);
        long orphan = (5L << 48) | 1;
        Fragment ownerLeader = nodes.stream()
                .flatMap(n -> n.fragments().local(owner).stream())
                .filter(Fragment::isLeader)
                .findFirst()
                .orElseThrow();
        ownerLeader
                .service()
                .submit(new Command.AcquireLocks(
                        orphan, "127.0.0.1:1:" + orphan, "jdbc:pg/db", List.of(row), System.currentTimeMillis()))
                .get();
        assertThat(ownerLeader.stateMachine().lockCount()).isEqualTo(1);

        api(c, "POST", "/api/v1/fragments/retire", Map.of("fragment", "5"));
        // a begin that a peer with an older map forwards to the retired fragment is turned away (the peer chooses
        // again): a transaction begun there now could be dropped with the fragment
        ArbiterNode leader5 = nodes.stream()
                .filter(n -> n.fragments().local(5).map(Fragment::isLeader).orElse(false))
                .findFirst()
                .orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> !leader5.fragments().takesBegins(5));
        ClientSession peerClient =
                new ClientSession(ClientSession.Role.TM, ClientVersion.V2_5_0, "app", "group", "127.0.0.1", 40_000);
        ResultMessage late = leader5.router()
                .handleForwarded(peerClient, new GlobalBeginRequest(60_000, "late"), new RequestId(7, 1), 5)
                .get(10, TimeUnit.SECONDS);
        assertThat(TransactionRequests.isNotLeader(late)).as("answer %s", late).isTrue();
        assertThat(leader5.fragments().local(5).orElseThrow().stateMachine().transactionCount())
                .isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> nodes.stream()
                        .allMatch(n -> n.fragments().map().fragment(5).isEmpty()
                                && n.fragments().local(5).isEmpty()));
        // dropped only after its orphan was released: nobody could answer for it afterwards
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(nodes.stream()
                                .flatMap(n -> n.fragments().local(owner).stream())
                                .mapToInt(f -> f.stateMachine().lockCount()))
                        .containsOnly(0));
    }

    @Test
    void leadersAndReplicasMoveUnderLoadWithoutAClientError() throws Exception {
        startClusterWithoutPlacement(4);
        ArbiterNode a = nodes.get(0);
        ArbiterNode b = nodes.get(1);
        ArbiterNode c = nodes.get(2);
        for (ArbiterNode n : nodes) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api(n, "GET", "/api/v1/fragments", Map.of())
                            .path("replicated")
                            .asBoolean());
        }
        AtomicInteger committed = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> load = new ArrayList<>();
        for (ArbiterNode entry : nodes) {
            Thread t = new Thread(() -> {
                try (RawSeataClient tm = tm(entry);
                        RawSeataClient rm = rm(entry)) {
                    for (int i = 0; running.get(); i++) {
                        GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "m"));
                        if (begin.resultCode() != ResultCode.Success) {
                            failures.add("begin: " + begin.msg());
                            continue;
                        }
                        // an AT branch whose row may live in any fragment, then an asynchronous commit
                        BranchRegisterResponse reg = (BranchRegisterResponse) rm.call(new BranchRegisterRequest(
                                begin.xid(), BranchType.AT, DB, "t:" + entry.port() + "0" + i, null));
                        if (reg.resultCode() != ResultCode.Success) {
                            failures.add("register: " + reg.exceptionCode() + " " + reg.msg());
                        }
                        GlobalCommitResponse commit =
                                (GlobalCommitResponse) tm.call(new GlobalCommitRequest(begin.xid()));
                        if (commit.globalStatus() == GlobalStatus.Committed) {
                            committed.incrementAndGet();
                        } else {
                            failures.add("commit: " + commit.globalStatus() + " " + commit.msg());
                        }
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            });
            t.start();
            load.add(t);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> committed.get() > 50);

        // every fragment's leader moves to another replica, one after the other
        for (int f = 0; f < 4; f++) {
            int fragment = f;
            String leader = a.fragments().leaderOf(fragment).map(m -> m.id()).orElseThrow();
            ArbiterNode target = nodes.stream()
                    .filter(n -> !id(n).equals(leader))
                    .findFirst()
                    .orElseThrow();
            api(
                    target,
                    "POST",
                    "/api/v1/fragments/transfer-leader",
                    Map.of("fragment", String.valueOf(fragment), "node", id(target)));
            int before = committed.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> committed.get() > before + 20);
        }
        // a replica moves: fragment 1 leaves node a, then comes back
        api(b, "POST", "/api/v1/fragments/remove-replica", Map.of("fragment", "1", "node", id(a)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.fragments().local(1).isEmpty());
        int beforeAdd = committed.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> committed.get() > beforeAdd + 20);
        api(c, "POST", "/api/v1/fragments/add-replica", Map.of("fragment", "1", "node", id(a)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.fragments().local(1).isPresent()
                        && a.fragments().local(1).get().group().peers().size() == 3);
        int afterAdd = committed.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> committed.get() > afterAdd + 20);

        running.set(false);
        for (Thread t : load) {
            t.join(30_000);
        }
        assertThat(failures)
                .as("client errors while leaders and replicas moved")
                .isEmpty();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(nodes.stream()
                                .flatMap(n -> n.fragments().ledHere().stream())
                                .mapToInt(f -> f.stateMachine().lockCount())
                                .sum())
                        .isZero()); // (the raw RM never answers
        // the asynchronous branch commits, so those transactions stay in phase two; their locks are gone)
    }

    @Test
    void theClusterServesOnAfterANodeStopsAndItsLeadersReturnWhenItRestarts() throws Exception {
        startCluster(4);
        await().atMost(Duration.ofSeconds(40)).until(() -> nodes.stream().allMatch(n -> ledBy(n) >= 1));
        ArbiterNode stopped = nodes.remove(2);
        stopped.close();
        for (ArbiterNode node : nodes) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try (RawSeataClient tm = tm(node)) {
                    for (int i = 0; i < 8; i++) { // every fragment, wherever it leads now
                        GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t"));
                        assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
                        assertThat(((GlobalCommitResponse) tm.call(new GlobalCommitRequest(begin.xid())))
                                        .globalStatus())
                                .isEqualTo(GlobalStatus.Committed);
                    }
                }
            });
        }

        // the stopped node comes back with its data: it catches up and leads its preferred fragments again
        ArbiterNode back = ArbiterNode.start(stopped.config());
        nodes.add(back);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (ClusterMap.FragmentInfo info : back.fragments().map().fragments()) {
                String preferred = info.replicas().get(0);
                ArbiterNode holder = nodes.stream()
                        .filter(n -> id(n).equals(preferred))
                        .findFirst()
                        .orElseThrow();
                assertThat(holder.fragments().local(info.id()).map(Fragment::isLeader))
                        .as("fragment %d led by its preferred node %s", info.id(), preferred)
                        .hasValue(true);
            }
            assertThat(ledBy(back)).isPositive();
        });
        try (RawSeataClient tm = tm(back)) {
            GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t"));
            assertThat(begin.xid()).startsWith("127.0.0.1:" + back.port() + ":");
            assertThat(((GlobalCommitResponse) tm.call(new GlobalCommitRequest(begin.xid()))).globalStatus())
                    .isEqualTo(GlobalStatus.Committed);
        }
    }

    /**
     * A replica that its Raft group removes and then adds back while the node's cluster map places it there all
     * along — what a node sees of a move out and in, or of a drain undone, when it follows only the last of the maps
     * (a node that is not a meta member polls the newest one). Ratis shuts the removed replica down, so the leader's
     * add catches up nothing until the node starts a new replica. A soak saw leaders retry their snapshot to such
     * closed replicas thousands of times while the node waited 10 s before it replaced them; the node now replaces
     * the replica a few seconds after its removal, and the add gets through.
     */
    @Test
    void aReplicaClosedByItsRemovalIsReplacedSoonAfterWhenTheMapStillPlacesIt() throws Exception {
        startClusterWithoutPlacement(2);
        int id = 1;
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        nodes.stream().allMatch(n -> n.fragments().local(id).isPresent()) && leaderOf(id) != null);
        Fragment leader = leaderOf(id);
        ArbiterNode other = nodes.stream()
                .filter(n -> !n.fragments().local(id).orElseThrow().isLeader())
                .findFirst()
                .orElseThrow();
        String node = other.config().selfId();
        Fragment removed = other.fragments().local(id).orElseThrow();
        List<Peer> all = leader.group().peers();
        List<Peer> without = all.stream().filter(p -> !p.id().equals(node)).toList();

        leader.group().changePeers(all, without).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> removed.group().stoppedByReplication());
        long start = System.nanoTime();
        // the add back, retried as FragmentOperations does while it fails
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        leader.group().changePeers(without, all).get(30, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) {
                        return leader.group().peers().size() == all.size();
                    }
                });
        await().atMost(Duration.ofSeconds(60))
                .until(() -> other.fragments()
                        .local(id)
                        .map(f -> f != removed && f.group().view().member())
                        .orElse(false));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "replica of fragment %d on %s closed by its removal, replaced and added back %d ms later%n",
                id, node, millis);
        assertThat(millis)
                .as("replaced after the 3 s grace and caught up by the add, not after the former 10 s wait")
                .isLessThan(8_000);
        assertThat(leader.group().peers()).hasSize(3);
    }

    private Fragment leaderOf(int id) {
        return nodes.stream()
                .flatMap(n -> n.fragments().local(id).stream())
                .filter(Fragment::isLeader)
                .findFirst()
                .orElse(null);
    }
}
