package io.arbiter.server.placement;

import io.arbiter.placement.PlacementSettings;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.config.PlacementConfig;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.meta.FragmentOperations;
import io.arbiter.server.meta.MetaGroup;
import io.arbiter.server.rpc.PeerTransport;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/** Builds a node's placement parts from its configuration. */
public final class Placement {
    private Placement() {}

    /** The scheduler's settings for a cluster made with {@code fragments} fragments. */
    public static PlacementSettings settings(PlacementConfig config, int fragments) {
        PlacementSettings d = PlacementSettings.defaults(fragments);
        int growAbove = config.growAbove();
        return new PlacementSettings(
                config.replicas(),
                config.nodeDownAfter().toMillis(),
                d.stableAfterMs(),
                config.maxOperators(),
                d.stepTimeoutMs(),
                d.balanceTolerance(),
                growAbove,
                d.overloadedSamplesToGrow(),
                config.resizeCooldown().toMillis(),
                fragments,
                config.maxFragments(),
                growAbove / 4,
                config.retireAfterCalm().toMillis(),
                d.loadImbalance(),
                d.loadMinCommandsPerSecond(),
                d.loadMoveCooldownMs());
    }

    /** The loop (not started) that runs placement whenever this node leads the meta group. */
    public static PlacementLoop loop(
            PlacementSettings settings,
            String self,
            BooleanSupplier leadsMeta,
            Fragments fragments,
            Predicate<String> reachable,
            PeerTransport peers,
            Function<String, Optional<ClusterMember>> members,
            FragmentOperations operations,
            PeerOperationServer here,
            NodeReporter reporter,
            MetaGroup meta,
            LongSupplier clock) {
        NodeReports reports = new NodeReports(self, reporter, peers, members, clock);
        ClusterStateReader reader = new ClusterStateReader(self, fragments, meta::map, reachable, reports);
        return new PlacementLoop(
                settings,
                leadsMeta,
                reader,
                reports,
                (loop, executor) -> new ClusterActuator(
                        self,
                        here,
                        operations,
                        peers,
                        members,
                        Duration.ofMillis(settings.stepTimeoutMs()),
                        loop,
                        executor),
                new MetaMembership(self, meta, members, peers, settings, clock),
                new OperatorHistory(
                        self, operations::meta, () -> meta.stateMachine().history()),
                clock);
    }
}
