package io.arbiter.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.coordinator.TransactionRequests;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.rpc.ClientSession;
import io.arbiter.server.rpc.PeerTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A begin has no XID yet, so any fragment may take it: when the fragment first chosen for it cannot serve it (its
 * leader keeps answering "not leader", as in a leader change that does not end), the begin goes to another fragment
 * after {@link RequestRouter#BEGIN_STICKS_MILLIS} instead of failing at the request deadline. Forwarded from a node
 * that holds neither fragment, on a fake clock.
 */
class RequestRouterTest {
    private static final ClusterMember STUCK = ClusterMember.fromRaftAddress("10.0.0.1", 9091);
    private static final ClusterMember SERVING = ClusterMember.fromRaftAddress("10.0.0.2", 9091);
    private static final ClusterMember SELF = ClusterMember.fromRaftAddress("10.0.0.3", 9091);

    @Test
    void aBeginLeavesAFragmentThatCannotServeIt() throws Exception {
        // fragment 0 on the stuck node only, fragment 1 on the serving node only; this node holds neither
        ClusterMap map = ClusterMap.initial(2, List.of(STUCK.id(), SERVING.id()), 1);
        assertThat(map.fragment(0).orElseThrow().replicas()).containsExactly(STUCK.id());
        List<ClusterMember> members = List.of(STUCK, SERVING, SELF);
        Fragments fragments = new Fragments(
                SELF.id(),
                map,
                id -> members.stream().filter(m -> m.id().equals(id)).findFirst());
        List<String> tried = new ArrayList<>();
        PeerTransport peers = (peer, request, headers, timeout) -> {
            tried.add(peer.id());
            SeataMessage answer = peer.equals(STUCK)
                    ? TransactionRequests.notLeader((GlobalBeginRequest) request)
                    : GlobalBeginResponse.success("10.0.0.2:8091:" + ((1L << 48) | 7));
            return CompletableFuture.completedFuture(answer);
        };
        SkippingClock clock = new SkippingClock(1_000_000);
        RequestRouter router = new RequestRouter(fragments, null, peers, clock::now, clock);
        ClientSession tm =
                new ClientSession(ClientSession.Role.TM, ClientVersion.V2_5_0, "app", "group", "127.0.0.1", 40_000);
        long start = clock.now();

        ResultMessage answer =
                router.handle(tm, new GlobalBeginRequest(60_000, "tx")).get(5, TimeUnit.SECONDS);

        assertThat(answer)
                .isInstanceOfSatisfying(
                        GlobalBeginResponse.class,
                        r -> assertThat(r.resultCode()).isEqualTo(ResultCode.Success));
        assertThat(tried.get(0)).as("first choice").isEqualTo(STUCK.id());
        assertThat(tried).contains(SERVING.id());
        assertThat(clock.now() - start)
                .as("time spent before another fragment took it")
                .isBetween(RequestRouter.BEGIN_STICKS_MILLIS, RequestRouter.BEGIN_STICKS_MILLIS + 1_000);
        assertThat(Optional.of(tried.get(tried.size() - 1))).contains(SERVING.id());
    }
}
