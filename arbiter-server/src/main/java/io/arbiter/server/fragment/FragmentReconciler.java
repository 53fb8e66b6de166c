package io.arbiter.server.fragment;

import io.arbiter.replication.GroupView;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.server.cluster.ClusterMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node's fragment replicas match the cluster map: starts a replica of every fragment the map places here
 * (as a founder with the fragment's first configuration, or as a joining replica that waits to be added), and stops
 * and deletes the replica of a fragment the map dropped or no longer places here (except a joining replica not
 * added yet); a replica its Raft group removed while the map places it here starts again as a joining replica, 3 s
 * later (called again every few seconds and when a replica's group view changes, so such a replica is seen); a
 * joining replica the map places here that was not added within {@link #JOIN_PATIENCE} starts again from nothing.
 *
 * <p>Threading: {@link #reconcile} is called by one thread at a time (the caller serializes); it blocks while groups
 * start or stop, so never on an event loop or apply thread.
 */
public final class FragmentReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(FragmentReconciler.class);
    private static final long GROUP_START_SECONDS = 60;
    /**
     * How long a replica its group removed is left alone while the map still places it here (the map's removal
     * reaches every node by then: meta members at once, the others within their 2 s poll).
     */
    public static final java.time.Duration REMOVED_GRACE = java.time.Duration.ofSeconds(3);

    /**
     * How long a joining replica the map places here may wait to be added before it is deleted and started again
     * from nothing. Longer than an add takes to fail (30 s) and be planned again: a joining replica is empty until the
     * leader catches it up, so starting it again loses nothing. Ratis counts a new peer that answers as making
     * progress whatever it answers, so a new replica in a state that never catches up (one that refuses the leader
     * for a higher term of its own, say) would hold every add of it for good, whichever replica leads; a new one
     * catches up like any other. (The case full runs saw, a new replica holding an idle group's whole log, is
     * handled by its leader: {@code RatisReplicaGroup#nudgeNewPeers}.)
     */
    public static final java.time.Duration JOIN_PATIENCE = java.time.Duration.ofSeconds(40);

    /** What the node does around a replica's life here (phase-two driver, leadership hooks, ...). */
    public interface Wiring {
        void wire(Fragment fragment);

        /** The replica is gone from this node; a later replica of the same fragment starts from nothing. */
        void unwire(Fragment fragment);
    }

    private final String selfId;
    private final FragmentIds ids;
    private final ReplicaHost host;
    private final Fragments fragments;
    private final IntFunction<Fragment> fragmentFor;
    private final Function<String, Optional<ClusterMember>> members;
    private final Wiring wiring;
    private final boolean joiningNode;
    private final LongSupplier clock;
    /** Per fragment whose replica here its group removed while the map places it here: since when (ms). */
    private final Map<Integer, Long> removedSince = new java.util.HashMap<>();
    /** Per fragment whose replica here counts itself a member while the map places it elsewhere: since when (ms). */
    private final Map<Integer, Long> awaySince = new java.util.HashMap<>();
    /** Per fragment whose replica here started joining and has not been added yet: since when (ms). */
    private final Map<Integer, Long> joiningSince = new java.util.HashMap<>();
    /** The epoch of the map last reconciled with (to log each new one once). */
    private long reconciledEpoch = -1;

    /**
     * @param fragmentFor the node's {@link Fragment} object for an id (the same one the host's state machine factory
     *     gave the group's state machine)
     * @param joiningNode this node was started to join an existing cluster: every replica it starts joins (waits to
     *     be added), even of fragments whose founders name it
     * @param clock       milliseconds (for how long a replica has been left out of its group)
     */
    public FragmentReconciler(
            String selfId,
            FragmentIds ids,
            ReplicaHost host,
            Fragments fragments,
            IntFunction<Fragment> fragmentFor,
            Function<String, Optional<ClusterMember>> members,
            boolean joiningNode,
            Wiring wiring,
            LongSupplier clock) {
        this.joiningNode = joiningNode;
        this.clock = clock;
        this.selfId = selfId;
        this.ids = ids;
        this.host = host;
        this.fragments = fragments;
        this.fragmentFor = fragmentFor;
        this.members = members;
        this.wiring = wiring;
    }

    /** Serves every fragment group already running here (recovered from disk), whatever the map says yet. */
    public void adoptRunning() throws InterruptedException {
        for (var groupId : host.groupIds()) {
            var id = ids.fragmentOf(groupId);
            if (id.isPresent() && fragments.local(id.getAsInt()).isEmpty()) {
                start(id.getAsInt(), List.of(), false);
            }
        }
    }

    /** Brings this node's replicas in line with {@code map} (and makes it the registry's map). */
    public void reconcile(ClusterMap map) throws InterruptedException {
        if (map.epoch() != reconciledEpoch) {
            LOG.info("reconciling this node's replicas with cluster map epoch {}", map.epoch());
            reconciledEpoch = map.epoch();
        }
        fragments.setMap(map);
        for (ClusterMap.FragmentInfo info : map.fragments()) {
            if (info.replicas().contains(selfId) && fragments.local(info.id()).isEmpty()) {
                start(
                        info.id(),
                        info.founders(),
                        joiningNode || !info.founders().contains(selfId));
            }
        }
        for (Fragment f : new ArrayList<>(fragments.all())) {
            Optional<ClusterMap.FragmentInfo> info = map.fragment(f.id());
            boolean dropped = info.isEmpty();
            // not in the map any more: removed from its Raft group (a removal changes Raft first, then the map), or
            // replaced while this node was down, whose log still has the old configuration with this node in it.
            // A joining replica that was not added yet must stay (also while the leader catches it up): a cluster
            // without placement grows by Raft first and records the new node in the map after.
            boolean placedHere = info.isPresent() && info.get().replicas().contains(selfId);
            if (placedHere) {
                awaySince.remove(f.id());
            }
            boolean movedAway = info.isPresent()
                    && !placedHere
                    && (f.group().joinedItsGroup() || f.group().stoppedByReplication());
            if (movedAway && !awayForAWhile(f)) {
                continue;
            }
            if (dropped || movedAway) {
                stop(f, dropped ? "dropped from the cluster map" : "moved to other nodes");
            } else if (placedHere && removedForAWhile(f)) {
                // its Raft group removed it (Ratis then closes it) but the map places it here some time later: a
                // change that went only half through, or a removal and an add back (a drain undone, a move out and
                // in) whose maps this node saw only the last of, while the group's leader already sends to it again
                // (against a closed replica, the add never gets through). It starts again as a joining replica (a
                // joining replica is caught up before it counts, so its old state is not needed).
                stop(f, "removed from its Raft group while the cluster map places it here; it joins again");
                start(f.id(), info.get().founders(), true);
            } else if (placedHere && notAddedInTime(f)) {
                stop(
                        f,
                        "not added to its Raft group within " + JOIN_PATIENCE.toSeconds() + " s; it joins again from"
                                + " nothing");
                start(f.id(), info.get().founders(), true);
            }
        }
    }

    /**
     * Removed from its group for {@link #REMOVED_GRACE} at least: a removal changes Raft first and the map a moment
     * later (on a node that is not a meta member, at its next poll), and a replica in between is on its way out, not
     * left behind.
     */
    private boolean removedForAWhile(Fragment f) {
        if (!removedFromItsGroup(f)) {
            removedSince.remove(f.id());
            return false;
        }
        return heldForTheGrace(removedSince, f.id());
    }

    /**
     * Whether the condition {@code since} records for fragment {@code id} (first seen now, if it was not held before)
     * has held for {@link #REMOVED_GRACE}. The caller clears the entry when the condition ends; {@link #stop} when
     * the replica goes.
     */
    private boolean heldForTheGrace(Map<Integer, Long> since, int id) {
        long now = clock.getAsLong();
        return now - since.computeIfAbsent(id, k -> now) >= REMOVED_GRACE.toMillis();
    }

    /**
     * Whether a replica the map no longer places here may go: at once if its group removed it (Ratis stopped it, or
     * its configuration no longer lists it); if it still counts itself a member, only once the map has said so for
     * {@link #REMOVED_GRACE}. A replica moved out and straight back in (a soak's move) is added back to its group
     * while this node may still see the map between the two: deleting its data then leaves a voter whose leader
     * believes it holds the log up to where it was, and Ratis never sends it the log again (heartbeats answered
     * "inconsistent" for good, seen in a soak). The map that places it back arrives within the grace.
     */
    private boolean awayForAWhile(Fragment f) {
        if (f.group().stoppedByReplication() || !f.group().view().member()) {
            awaySince.remove(f.id());
            return true;
        }
        return heldForTheGrace(awaySince, f.id());
    }

    /** A joining replica that has waited {@link #JOIN_PATIENCE} to be added since it started here. */
    private boolean notAddedInTime(Fragment f) {
        Long since = joiningSince.get(f.id());
        if (since == null) {
            return false;
        }
        if (f.group().joinedItsGroup()) {
            joiningSince.remove(f.id());
            return false;
        }
        return clock.getAsLong() - since >= JOIN_PATIENCE.toMillis();
    }

    /**
     * Stopped by Ratis because it was removed, also when the configuration it knew last still listed this node
     * (removed in the middle of a change: a soak's drain then undrain left such a replica closed for good, and
     * placement's add of a replica here retried against it forever). Or a former member whose group's committed
     * configuration no longer lists it (Ratis shuts it down a moment later). A joining replica that was never added
     * is neither: while the leader catches it up it knows the group's configuration without itself.
     */
    private boolean removedFromItsGroup(Fragment f) {
        if (f.group().stoppedByReplication()) {
            return true;
        }
        GroupView view = f.group().view();
        return f.group().joinedItsGroup()
                && !view.member()
                && !view.peers().isEmpty()
                && view.peers().stream().noneMatch(p -> p.id().equals(selfId));
    }

    private void start(int id, List<String> founders, boolean joining) throws InterruptedException {
        List<Peer> peers = new ArrayList<>();
        for (String node : joining ? List.of(selfId) : founders) {
            members.apply(node).ifPresent(m -> peers.add(new Peer(m.id(), m.host(), m.raftPort())));
        }
        long asked = clock.getAsLong();
        try {
            ReplicaGroup group =
                    host.addGroup(ids.groupId(id), peers, joining).get(GROUP_START_SECONDS, TimeUnit.SECONDS);
            Fragment fragment = fragmentFor.apply(id);
            if (!fragment.attached()) {
                fragment.attach(group);
            }
            wiring.wire(fragment);
            fragments.add(fragment);
            fragments.follow(fragment);
            if (joining) {
                joiningSince.put(id, clock.getAsLong());
            }
            LOG.info(
                    "replica of fragment {} runs here{} (started in {} ms)",
                    id,
                    joining ? " (joining: waits to be added)" : "",
                    clock.getAsLong() - asked);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not start the replica of fragment {}: {}", id, e.toString());
        }
    }

    private void stop(Fragment fragment, String why) throws InterruptedException {
        LOG.info("removing the replica of {} from this node: {}", fragment, why);
        fragments.remove(fragment.id());
        joiningSince.remove(fragment.id());
        awaySince.remove(fragment.id());
        removedSince.remove(fragment.id());
        wiring.unwire(fragment);
        try {
            host.removeGroup(ids.groupId(fragment.id()), true).get(GROUP_START_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not remove the replica of {}: {}", fragment, e.toString());
        }
    }
}
