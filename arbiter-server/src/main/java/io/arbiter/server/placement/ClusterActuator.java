package io.arbiter.server.placement;

import io.arbiter.placement.Actuator;
import io.arbiter.placement.ClusterState;
import io.arbiter.placement.FragmentState;
import io.arbiter.placement.OperatorExecutor;
import io.arbiter.placement.Step;
import io.arbiter.protocol.message.PeerOperationRequest;
import io.arbiter.protocol.message.PeerOperationResponse;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.meta.FragmentOperations;
import io.arbiter.server.rpc.PeerTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Carries out the executor's steps in the real cluster. A replica change or leadership transfer runs on a node
 * that holds a replica of the fragment (its leader when known, else another reachable holder; never the replica
 * being removed), through that node's {@link PeerOperationServer} (this node's own when it is the one); creating
 * and retiring a fragment are map changes, made here. The outcome is handed to the executor on the loop's thread.
 *
 * <p>Threading: {@link #start} runs on the loop's thread; completions are posted back to it.
 */
final class ClusterActuator implements Actuator {
    private final String self;
    private final PeerOperationServer here;
    private final FragmentOperations operations;
    private final PeerTransport peers;
    private final Function<String, Optional<ClusterMember>> members;
    private final Duration stepTimeout;
    private final Executor loop;
    private final Supplier<OperatorExecutor> executor;
    private volatile ClusterState state;

    ClusterActuator(
            String self,
            PeerOperationServer here,
            FragmentOperations operations,
            PeerTransport peers,
            Function<String, Optional<ClusterMember>> members,
            Duration stepTimeout,
            Executor loop,
            Supplier<OperatorExecutor> executor) {
        this.self = self;
        this.here = here;
        this.operations = operations;
        this.peers = peers;
        this.members = members;
        this.stepTimeout = stepTimeout;
        this.loop = loop;
        this.executor = executor;
    }

    /** The state the next steps are chosen against (which node leads, which are reachable). */
    void use(ClusterState current) {
        this.state = current;
    }

    @Override
    public void start(long operatorId, Step step) {
        OperatorExecutor owner = executor.get();
        CompletableFuture<String> done;
        try {
            done = run(step);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((detail, error) -> loop.execute(() ->
                owner.stepDone(operatorId, error == null, error == null ? detail : PeerOperationServer.reason(error))));
    }

    private CompletableFuture<String> run(Step step) {
        if (step instanceof Step.AddReplica a) {
            return onHolder(a.fragment(), PeerOperationRequest.Kind.ADD_REPLICA, a.node(), null);
        } else if (step instanceof Step.RemoveReplica r) {
            return onHolder(r.fragment(), PeerOperationRequest.Kind.REMOVE_REPLICA, r.node(), r.node());
        } else if (step instanceof Step.TransferLeader t) {
            return onHolder(t.fragment(), PeerOperationRequest.Kind.TRANSFER_LEADER, t.node(), null);
        } else if (step instanceof Step.CreateFragment c) {
            return operations.create(null, c.replicas()).thenApply(id -> "created fragment " + id);
        } else if (step instanceof Step.RetireFragment r) {
            return operations.retire(r.fragment()).thenApply(ignored -> "retired fragment " + r.fragment());
        }
        throw new IllegalArgumentException("unknown step " + step);
    }

    private CompletableFuture<String> onHolder(
            int fragment, PeerOperationRequest.Kind kind, String node, String excluded) {
        PeerOperationRequest request = new PeerOperationRequest(kind, fragment, node);
        List<String> holders = holders(fragment, excluded);
        if (holders.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "no reachable replica of fragment " + fragment + " to run " + kind + " on"));
        }
        String on = holders.get(0);
        CompletableFuture<PeerOperationResponse> answer;
        if (on.equals(self)) {
            answer = here.serve(request);
        } else {
            ClusterMember member =
                    members.apply(on).orElseThrow(() -> new IllegalStateException("unknown member " + on));
            answer = peers.call(member, request, Map.of(), stepTimeout).thenApply(m -> (PeerOperationResponse) m);
        }
        return answer.thenApply(r -> {
            if (!r.ok()) {
                throw new IllegalStateException(on + ": " + r.text());
            }
            return kind + " " + node + " done by " + on;
        });
    }

    /** The nodes to run a step on, best first: the leader, then other reachable replica holders. */
    private List<String> holders(int fragment, String excluded) {
        ClusterState s = state;
        List<String> order = new ArrayList<>();
        Optional<FragmentState> f = s == null ? Optional.empty() : s.fragment(fragment);
        if (f.isEmpty()) {
            return order;
        }
        String leader = f.get().leader();
        if (leader != null && !leader.equals(excluded)) {
            order.add(leader);
        }
        for (String r : f.get().replicas()) {
            boolean up =
                    s.node(r).map(io.arbiter.placement.NodeState::reachable).orElse(false);
            if (!r.equals(excluded) && !order.contains(r) && up) {
                order.add(r);
            }
        }
        return order;
    }
}
