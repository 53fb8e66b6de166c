package io.arbiter.server.sim;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.protocol.message.PeerCommandRequest;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.coordinator.CrossFragmentLocks;
import io.arbiter.server.coordinator.Housekeeping;
import io.arbiter.server.coordinator.LockSweeper;
import io.arbiter.server.coordinator.LockTableRebuilds;
import io.arbiter.server.coordinator.OutcomeWaiters;
import io.arbiter.server.coordinator.PhaseTwoDriver;
import io.arbiter.server.coordinator.TransactionRequests;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.routing.GroupDirectory;
import io.arbiter.server.routing.RequestRouter;
import io.arbiter.server.rpc.BranchCalls;
import io.arbiter.server.rpc.PeerHeaders;
import io.arbiter.server.rpc.PeerTransport;
import io.arbiter.server.rpc.RmDirectory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One simulated Arbiter node, wired like {@code ArbiterNode} but on the simulation's clock, delays, network and
 * replicated logs: its fragment replicas, request router, transaction requests, fragment commands with
 * cross-fragment locks, a phase-two driver per replica, housekeeping and the lock sweeper.
 */
final class SimNode {
    final String id;
    final Fragments fragments;
    final FragmentCommands commands;
    final TransactionRequests requests;
    final RequestRouter router;
    final Housekeeping housekeeping;
    final LockSweeper sweeper;
    final LockTableRebuilds rebuilds;

    SimNode(
            String id,
            ClusterMap map,
            Function<String, Optional<ClusterMember>> members,
            SimLoop loop,
            PeerTransport transport,
            BranchCalls rm,
            Map<Integer, SimLog> logs,
            CoordinatorSettings settings,
            java.util.function.Supplier<ClusterMap> metaMap) {
        this.id = id;
        fragments = new Fragments(id, map, members);
        GroupDirectory groups = new GroupDirectory() {
            @Override
            public Optional<Proposer> ledHere(int f) {
                return fragments.local(f).filter(Fragment::isLeader).map(fr -> fr.service()::submitEncoded);
            }

            @Override
            public Optional<ClusterMember> leaderOf(int f) {
                return fragments.leaderOf(f);
            }

            @Override
            public void notLeader(int f, String nodeId) {
                fragments.notLeader(f, nodeId);
            }

            @Override
            public boolean exists(int f) {
                return fragments.map().fragment(f).isPresent();
            }

            @Override
            public boolean lockOnly(int f) {
                return fragments.map().lockOnly(f);
            }

            @Override
            public String selfId() {
                return id;
            }
        };
        OutcomeWaiters waiters = new OutcomeWaiters();
        commands = new FragmentCommands(groups, transport, loop::now, loop);
        requests = new TransactionRequests(
                waiters, id + ":8091", loop::now, new CrossFragmentLocks(fragments, commands, loop::now), loop);
        router = new RequestRouter(fragments, requests, transport, loop::now, loop);
        housekeeping = new Housekeeping(fragments, new RmDirectory(), loop::now, loop);
        sweeper = new LockSweeper(fragments, commands, loop::now);
        rebuilds = new LockTableRebuilds(fragments, commands, () -> CompletableFuture.completedFuture(metaMap.get()));
        for (ClusterMap.FragmentInfo info : map.hostedBy(id)) {
            Fragment fragment = new Fragment(info.id(), settings);
            fragment.attach(logs.get(info.id()).replica(id, fragment.stateMachine()));
            PhaseTwoDriver driver =
                    new PhaseTwoDriver(fragment.id(), fragment.service(), waiters, () -> rm, commands, loop::now);
            fragment.onEffects(driver::execute);
            fragment.stateMachine().onLeadership(() -> housekeeping.resume(fragment));
            fragment.stateMachine().onLeadershipEnd(() -> waiters.leadershipEnded(fragment.id()));
            fragments.add(fragment);
            fragments.follow(fragment);
        }
    }

    /** A message from a peer: a fragment command, or a client request forwarded to this node. */
    CompletableFuture<SeataMessage> receive(SeataMessage message, Map<String, String> head) {
        if (message instanceof PeerCommandRequest command) {
            return commands.serve(command).thenApply(SeataMessage.class::cast);
        }
        return router.handleForwarded(
                        PeerHeaders.originOf(head),
                        (TransactionRequest) message,
                        PeerHeaders.requestIdOf(head),
                        PeerHeaders.fragmentOf(head))
                .thenApply(SeataMessage.class::cast);
    }
}
