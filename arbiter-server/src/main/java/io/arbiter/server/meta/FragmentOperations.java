package io.arbiter.server.meta;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.result.Result;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.UnreachablePeerException;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.routing.Leadership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator primitives on fragments, usable by hand (HTTP admin API, {@code bin/arbiter fragments}) and by a
 * scheduler: create a fragment with replicas on given nodes; add a replica (it joins and catches up from the
 * leader's snapshot and log) and remove one; transfer leadership; retire a fragment (no new transactions; it goes
 * away once empty). Map changes go through the meta group; membership changes through the fragment's own group, on
 * a replica held by this node.
 *
 * <p>Threading: thread-safe, never blocks; results complete on replication or timer threads.
 */
public final class FragmentOperations {
    /**
     * How long the membership change of an added or removed replica may take (the new replica's catch-up too; a
     * fragment's state is small) and a leadership transfer; within placement's step timeout, so that a change that
     * cannot complete fails and is planned again from the cluster as it then is.
     */
    static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a leader hand-over after an add that failed is tried, and the pause between tries. */
    private static final long HAND_OVER_TRIES_MILLIS = 20_000;

    private static final long HAND_OVER_RETRY_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(FragmentOperations.class);
    private static final Duration META_TIMEOUT = Duration.ofSeconds(10);
    /** How long a retired fragment is led here before it may be dropped. */
    static final long DROP_GRACE_MS = 5_000;
    /**
     * How long a fragment that handed its lock slots over stays before it is dropped: a node that is not a meta
     * member learns the new map by polling every 2 s, and meanwhile sends rows and lock queries to the old owner
     * (which refuses them with LockSlotsMoved, and they go again where the map then says).
     */
    static final long MOVED_GRACE_MS = 10_000;

    private final Fragments fragments;
    private final FragmentCommands commands;
    private final Function<String, Optional<ClusterMember>> members;
    private final LongSupplier clock;
    /** Fragments whose drop is under way (one attempt at a time). */
    private final Set<Integer> dropping = ConcurrentHashMap.newKeySet();
    /** Retired fragments led here, with when this node first saw them so (housekeeping thread only). */
    private final Map<Integer, Long> retiredAndLedSince = new ConcurrentHashMap<>();
    /** When fragments retired here handed their lock slots over (for {@link #MOVED_GRACE_MS}). */
    private final Map<Integer, Long> slotsMovedAt = new ConcurrentHashMap<>();

    /** A refused operation: the request was wrong for the cluster as it is (answered 4xx with the reason). */
    public static final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason);
        }

        /** Whether the meta group refused because it has no map yet (a retry soon may succeed). */
        public boolean notBootstrapped() {
            return MetaStateMachine.NOT_BOOTSTRAPPED.equals(getMessage());
        }
    }

    public FragmentOperations(
            Fragments fragments,
            FragmentCommands commands,
            Function<String, Optional<ClusterMember>> members,
            LongSupplier clock) {
        this.fragments = fragments;
        this.commands = commands;
        this.members = members;
        this.clock = clock;
    }

    /**
     * Proposes a map change to the meta group; completes with the new epoch or fails with {@link Refused}. Right
     * after the cluster started the meta group may have no map yet: the change is proposed again until it has one
     * (for up to {@link #META_TIMEOUT}), so an operator's first request is not refused for being early.
     */
    public CompletableFuture<Long> meta(MetaCommand command) {
        return meta(command, clock.getAsLong() + META_TIMEOUT.toMillis());
    }

    /** {@link #meta(MetaCommand)}, proposed again while the meta group has no map until {@code deadline}. */
    public CompletableFuture<Long> meta(MetaCommand command, long deadline) {
        return whenBootstrapped(() -> proposeOnce(command), deadline);
    }

    private CompletableFuture<Long> proposeOnce(MetaCommand command) {
        return answeredInTime(commands.submitEncoded(FragmentIds.META, MetaCodec.encode(command), META_TIMEOUT))
                .thenApply(answer -> {
                    try {
                        return MetaStateMachine.epochOrThrow(answer);
                    } catch (IllegalStateException e) {
                        throw new Refused(e.getMessage());
                    }
                });
    }

    /**
     * {@code answer}, or {@link FragmentCommands.Unavailable} once {@link #META_TIMEOUT} (and a second) passed
     * without it. A proposal the meta leader's Raft server holds without ever answering must not hold its caller —
     * a placement step, an operator's request — for good: a 60-minute soak saw a drain's map change (proposed while
     * the meta group changed its own members) answered neither way for the 120 s of placement's step timeout. A map
     * change given up here may still apply; every caller plans again from the map as it then is.
     */
    private CompletableFuture<byte[]> answeredInTime(CompletableFuture<byte[]> answer) {
        return commands.delays()
                .failAfter(
                        answer,
                        META_TIMEOUT.toMillis() + 1_000,
                        () -> new FragmentCommands.Unavailable("the meta group did not answer a map change within "
                                + META_TIMEOUT.toSeconds() + " s"));
    }

    /** Creates fragment {@code id} (or the next free id when null) with replicas on {@code nodes}. */
    public CompletableFuture<Integer> create(Integer id, List<String> nodes) {
        ClusterMap map = fragments.map();
        List<String> replicas = distinct(nodes);
        if (replicas.isEmpty()) {
            return refused("a fragment needs at least one replica node");
        }
        for (String node : replicas) {
            if (members.apply(node).isEmpty()) {
                return refused("unknown node " + node);
            }
        }
        int newId = id != null
                ? id
                : map.fragments().stream()
                                .mapToInt(ClusterMap.FragmentInfo::id)
                                .max()
                                .orElse(-1)
                        + 1;
        if (newId < 0 || newId >= FragmentIds.MAX_FRAGMENTS) {
            return refused("fragment ids are 0.." + (FragmentIds.MAX_FRAGMENTS - 1));
        }
        return meta(new MetaCommand.CreateFragment(newId, replicas)).thenApply(epoch -> newId);
    }

    /** Adds a replica of {@code id} on {@code node}: the map first (the node starts a joining replica), then Raft. */
    public CompletableFuture<Void> addReplica(int id, String node) {
        return onLocalReplica(id, (info, here) -> {
            if (members.apply(node).isEmpty()) {
                throw new Refused("unknown node " + node);
            }
            long deadline = clock.getAsLong() + CHANGE_TIMEOUT.toMillis();
            return meta(new MetaCommand.ChangeReplica(id, node, MetaCommand.ChangeReplica.Change.ADD))
                    .thenCompose(epoch -> changePeers(here, node, true, deadline)
                            .whenComplete((done, error) -> {
                                // a new replica whose node does not answer is not held up by this leader
                                if (error != null && !(Leadership.unwrap(error) instanceof UnreachablePeerException)) {
                                    handOverAfterStuckAdd(here, node, clock.getAsLong() + HAND_OVER_TRIES_MILLIS);
                                }
                            }));
        });
    }

    /**
     * An add that did not finish in its time may be held by the fragment's leader: a soak saw a leader whose Raft
     * sender to the new replica made no progress for minutes (every attempt ended "NOPROGRESS"), while another
     * leader, once leadership moved, added the same replica at once. So leadership goes to another voter than the
     * leader and the new replica, and the next attempt (placement plans it again) runs there. Ratis refuses a
     * transfer while a membership change is in progress, so it is tried again for a while.
     */
    private void handOverAfterStuckAdd(Fragment here, String adding, long until) {
        Optional<String> leader = here.group().leaderId();
        Optional<String> target = here.group().peers().stream()
                .map(Peer::id)
                .filter(id -> !id.equals(adding) && !leader.map(id::equals).orElse(false))
                .sorted()
                .findFirst();
        if (leader.isEmpty() || target.isEmpty()) {
            return;
        }
        here.group().transferLeadership(target.get()).whenComplete((ok, error) -> {
            if (error == null) {
                LOG.info(
                        "fragment {}: leadership moved from {} to {} after the replica on {} was not added in time",
                        here.id(),
                        leader.get(),
                        target.get(),
                        adding);
            } else if (clock.getAsLong() < until) {
                commands.delays()
                        .after(HAND_OVER_RETRY_MILLIS)
                        .thenRun(() -> handOverAfterStuckAdd(here, adding, until));
            } else {
                LOG.info("fragment {}: leadership stays with {}: {}", here.id(), leader.get(), error.toString());
            }
        });
    }

    /** Removes the replica of {@code id} on {@code node}: Raft first, then the map (the node then deletes it). */
    public CompletableFuture<Void> removeReplica(int id, String node) {
        return onLocalReplica(id, (info, here) -> {
            boolean votes = here.group().peers().stream().anyMatch(p -> p.id().equals(node));
            if (!info.replicas().contains(node) && !votes) {
                // (a voter the map does not name is removed: a change that went only half through)
                throw new Refused("node " + node + " holds no replica of fragment " + id + " (replicas: "
                        + info.replicas() + ")");
            }
            if (info.replicas().equals(List.of(node))) {
                throw new Refused("fragment " + id + " would have no replica left; retire it instead");
            }
            long deadline = clock.getAsLong() + CHANGE_TIMEOUT.toMillis();
            return changePeers(here, node, false, deadline)
                    .thenCompose(done ->
                            meta(new MetaCommand.ChangeReplica(id, node, MetaCommand.ChangeReplica.Change.REMOVE)))
                    .thenApply(epoch -> null);
        });
    }

    /**
     * Runs {@code operation} with fragment {@code id}'s map entry and this node's replica of it; a {@link Refused}
     * (no such fragment, no replica here, or thrown by the operation) fails the returned future.
     */
    private <T> CompletableFuture<T> onLocalReplica(
            int id, BiFunction<ClusterMap.FragmentInfo, Fragment, CompletableFuture<T>> operation) {
        try {
            ClusterMap.FragmentInfo info = fragment(id);
            return operation.apply(info, local(info));
        } catch (Refused e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Moves the leadership of {@code id} to its replica on {@code node}, and makes that node the fragment's preferred
     * leader (first in its replica list), so that leader balancing keeps it there.
     */
    public CompletableFuture<Void> transferLeader(int id, String node) {
        // whether the node holds a replica is checked by the meta group itself (this node's map may not show a
        // replica added a moment ago yet)
        return onLocalReplica(
                id,
                (info, here) -> meta(new MetaCommand.ChangeReplica(id, node, MetaCommand.ChangeReplica.Change.PREFER))
                        .thenCompose(epoch -> here.group().transferLeadership(node))
                        .orTimeout(CHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Stops new transactions in {@code id}; once it has none left its lock slots move to another fragment and it is
     * dropped ({@link #dropEmptyRetired}).
     */
    public CompletableFuture<Void> retire(int id) {
        try {
            fragment(id);
        } catch (Refused e) {
            return CompletableFuture.failedFuture(e);
        }
        if (fragments.map().lockOnly(id)) {
            return refused("fragment " + id + " is lock-only: it takes no transactions and is not retired");
        }
        if (fragments.map().fragments().stream()
                .filter(ClusterMap.FragmentInfo::takesBegins)
                .noneMatch(f -> f.id() != id)) {
            return refused("fragment " + id + " is the last one that takes new transactions");
        }
        // right after the cluster started the meta group may not have its map yet
        return meta(new MetaCommand.SetAcceptsBegins(id, false), clock.getAsLong() + CHANGE_TIMEOUT.toMillis())
                .thenApply(epoch -> null);
    }

    /**
     * After the cluster's membership changed (every fragment's group now has exactly {@code nodes}): the map says so
     * too, each fragment keeping its preferred leader first when it stays.
     */
    public CompletableFuture<Void> membersChanged(List<String> nodes) {
        return membersChanged(nodes, clock.getAsLong() + CHANGE_TIMEOUT.toMillis());
    }

    private CompletableFuture<Void> membersChanged(List<String> nodes, long deadline) {
        return whenBootstrapped(() -> updateReplicasOf(nodes), deadline);
    }

    /**
     * Runs {@code change}, again every 200 ms while the meta group refuses it for having no map yet (a change right
     * after the cluster started), until {@code deadline}.
     */
    private <T> CompletableFuture<T> whenBootstrapped(
            java.util.function.Supplier<CompletableFuture<T>> change, long deadline) {
        return change.get().exceptionallyCompose(e -> {
            Throwable cause =
                    e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof Refused refused) || !refused.notBootstrapped() || clock.getAsLong() >= deadline) {
                return CompletableFuture.failedFuture(cause);
            }
            return commands.delays().after(200).thenCompose(ignored -> whenBootstrapped(change, deadline));
        });
    }

    private CompletableFuture<Void> updateReplicasOf(List<String> nodes) {
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (ClusterMap.FragmentInfo info : fragments.map().fragments()) {
            List<String> replicas = new ArrayList<>(
                    info.replicas().stream().filter(nodes::contains).toList());
            nodes.stream().filter(n -> !replicas.contains(n)).forEach(replicas::add);
            if (!replicas.equals(info.replicas())) {
                done = done.thenCompose(ignored -> meta(new MetaCommand.SetReplicas(info.id(), replicas)))
                        .thenApply(epoch -> null);
            }
        }
        return done;
    }

    /**
     * Drops every retired fragment this node leads that is empty (no live transaction, no begin in flight); for the
     * housekeeping timer. A fragment that owns lock slots first hands them over, with the rows it holds for other
     * fragments' transactions, to another fragment ({@link #handOverSlots}); {@link #MOVED_GRACE_MS} later it releases
     * its copies of them and is dropped. A begin is proposed only by the fragment's leader and only
     * while its map lets the fragment take begins ({@link Fragment#beginStarted}): read in this order — retired,
     * then no begin in flight, then no transaction — the fragment is empty for good. It must also have been
     * retired and led here for {@link #DROP_GRACE_MS} (a begin a previous leader proposed is applied by then).
     * Before the drop, every other fragment releases the rows that the dropped fragment's transactions still hold
     * there (a release that was lost): once the fragment is gone nobody could answer the lock sweeper's question
     * about them. All of its transactions have ended, so each such row is an orphan. A step that fails leaves the
     * drop to a later round.
     */
    public void dropEmptyRetired() {
        ClusterMap map = fragments.map();
        long now = clock.getAsLong();
        Set<Integer> quiet = new java.util.HashSet<>();
        for (Fragment f : fragments.ledHere()) {
            if (f.takesBegins() || f.lockOnly()) { // a lock-only fragment takes no begins, but is not retired
                continue;
            }
            quiet.add(f.id());
            long since = retiredAndLedSince.computeIfAbsent(f.id(), id -> now);
            if (now - since < DROP_GRACE_MS
                    || f.beginsInFlight() != 0
                    || f.stateMachine().transactionCount() != 0
                    || !dropping.add(f.id())) {
                continue;
            }
            // each step is done again by a later round if it fails
            CompletableFuture<?> step;
            if (map.slots().owns(f.id())) {
                step = handOverSlots(f, map).thenAccept(ignored -> slotsMovedAt.put(f.id(), clock.getAsLong()));
            } else if (now - slotsMovedAt.getOrDefault(f.id(), Long.MIN_VALUE / 2) < MOVED_GRACE_MS) {
                step = CompletableFuture.completedFuture(null); // nodes whose maps lag may still ask it about rows
            } else {
                step = clearHandedOverRows(f) // kept until their new owner had them
                        .thenCompose(ignored -> releaseOrphansOf(f.id(), slotOwners(map)))
                        .thenCompose(ignored -> meta(new MetaCommand.DropFragment(f.id())))
                        .thenAccept(ignored -> slotsMovedAt.remove(f.id()));
            }
            step.whenComplete((ignored, e) -> {
                dropping.remove(f.id());
                if (e != null) {
                    LOG.debug("retiring fragment {}: a step failed, again in a later round", f.id(), e);
                }
            });
        }
        retiredAndLedSince.keySet().retainAll(quiet);
    }

    /** Most rows an {@code AdoptLocks} command carries (a Raft entry holds about a megabyte). */
    private static final int ADOPT_ROWS_PER_COMMAND = 2_000;

    /**
     * Gives the lock slots of retired, empty fragment {@code f} to the fragment taking transactions that owns the
     * fewest ({@code docs/LOCKS.md} "Moving slots"): {@code f} stops taking rows and lists those it holds for other
     * fragments' transactions, the new owner takes them over, then the map moves the slots. Every step can be
     * repeated: a round that fails is done again whole by a later one.
     */
    private CompletableFuture<Void> handOverSlots(Fragment f, ClusterMap map) {
        Map<Integer, Integer> owned = map.slots().slotCounts();
        Optional<Integer> target = map.fragments().stream()
                .filter(ClusterMap.FragmentInfo::takesBegins)
                .map(ClusterMap.FragmentInfo::id)
                .filter(id -> id != f.id())
                .min(java.util.Comparator.comparing((Integer id) -> owned.getOrDefault(id, 0))
                        .thenComparing(id -> id));
        if (target.isEmpty()) {
            return CompletableFuture.failedFuture(new Refused("no fragment takes transactions"));
        }
        int to = target.get();
        return f.service().submit(new Command.HandOverLocks()).thenCompose(res -> {
            if (!(res instanceof Result.ForeignLocks locks)) {
                return CompletableFuture.<Void>failedFuture(new Refused("fragment " + f.id() + " answered " + res));
            }
            CompletableFuture<Void> adopted = CompletableFuture.completedFuture(null);
            for (List<ForeignHolder> batch : batches(locks.holders())) {
                adopted = adopted.thenCompose(ignored -> commands.submit(
                                to, null, new Command.AdoptLocks(batch), META_TIMEOUT)
                        .thenAccept(answer -> {
                            if (!(answer instanceof Result.Done)) {
                                throw new Refused("fragment " + to + " answered " + answer);
                            }
                        }));
            }
            int rows = locks.holders().stream().mapToInt(h -> h.rows().size()).sum();
            return adopted.thenCompose(ignored -> meta(new MetaCommand.MoveSlots(f.id(), to)))
                    .thenAccept(epoch -> LOG.info(
                            "retired fragment {} handed its lock slots over to fragment {} with {} held rows "
                                    + "(map epoch {})",
                            f.id(),
                            to,
                            rows,
                            epoch));
        });
    }

    /** Holders in groups of at most {@link #ADOPT_ROWS_PER_COMMAND} rows (a holder is never split). */
    private static List<List<ForeignHolder>> batches(List<ForeignHolder> holders) {
        List<List<ForeignHolder>> batches = new ArrayList<>();
        List<ForeignHolder> current = new ArrayList<>();
        int rows = 0;
        for (ForeignHolder h : holders) {
            if (!current.isEmpty() && rows + h.rows().size() > ADOPT_ROWS_PER_COMMAND) {
                batches.add(current);
                current = new ArrayList<>();
                rows = 0;
            }
            current.add(h);
            rows += h.rows().size();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /**
     * Releases the rows a fragment kept after handing its slots over (their new owner holds them; this fragment owns
     * no slot any more, so nobody asks it about them).
     */
    private CompletableFuture<Void> clearHandedOverRows(Fragment f) {
        if (f.stateMachine().lockCount() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return f.service()
                .submit(new Command.ListForeignHolders(Long.MAX_VALUE))
                .thenCompose(res -> {
                    CompletableFuture<Void> released = CompletableFuture.completedFuture(null);
                    if (res instanceof Result.Holders h) {
                        for (long id : h.transactionIds()) {
                            released = released.thenCompose(ignored -> f.service()
                                    .submit(new Command.ReleaseLocks(id, List.of()))
                                    .thenApply(r -> null));
                        }
                    }
                    return released;
                });
    }

    /** The fragments owning lock slots in {@code map}, ascending. */
    private static Set<Integer> slotOwners(ClusterMap map) {
        return new java.util.TreeSet<>(map.slots().spreadOver());
    }

    /** Releases, in every other slot owner, the rows held by transactions of fragment {@code dying}. */
    private CompletableFuture<Void> releaseOrphansOf(int dying, Set<Integer> slotOwners) {
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (int otherId : slotOwners) {
            if (otherId == dying) {
                continue;
            }
            all = all.thenCompose(ignored -> commands.submit(
                            otherId, null, new Command.ListForeignHolders(Long.MAX_VALUE), META_TIMEOUT)
                    .thenCompose(res -> {
                        List<Long> orphans = res instanceof Result.Holders h
                                ? h.transactionIds().stream()
                                        .filter(id -> FragmentIds.fragmentOfId(id) == dying)
                                        .toList()
                                : List.of();
                        CompletableFuture<Void> released = CompletableFuture.completedFuture(null);
                        for (long id : orphans) {
                            LOG.info(
                                    "releasing the rows that transaction {} of dropped fragment {} still holds in "
                                            + "fragment {}",
                                    id,
                                    dying,
                                    otherId);
                            released = released.thenCompose(x -> commands.submit(
                                            otherId, null, new Command.ReleaseLocks(id, List.of()), META_TIMEOUT)
                                    .thenApply(r -> null));
                        }
                        return released;
                    }));
        }
        return all;
    }

    /**
     * Adds {@code node} to (or removes it from) the fragment's Raft configuration as its group has it now (not as a
     * map that may lag says), retrying until {@code deadline}.
     */
    private CompletableFuture<Void> changePeers(Fragment here, String node, boolean add, long deadline) {
        return changePeers(here, node, add, deadline, null);
    }

    /**
     * @param unreachable the failure of every earlier attempt, when each failed because the new peer did not answer
     *     (null: none failed so, or another failure came between): an attempt cut by the deadline then ends with it,
     *     since the peer was down all along as far as anyone heard, rather than as a timeout that moves leadership
     */
    private CompletableFuture<Void> changePeers(
            Fragment here, String node, boolean add, long deadline, UnreachablePeerException unreachable) {
        List<Peer> current = here.group().peers();
        if (current.isEmpty()) {
            // a joining replica not added yet: it knows no configuration and no leader to ask
            return refused("this node's replica of fragment " + here.id() + " is not a voter of its group yet; ask "
                    + "a node whose replica votes");
        }
        long remaining = deadline - clock.getAsLong();
        List<Peer> peers = new ArrayList<>(
                current.stream().filter(p -> !p.id().equals(node)).toList());
        if (add) {
            ClusterMember m = members.apply(node).orElseThrow(() -> new Refused("unknown node " + node));
            peers.add(new Peer(m.id(), m.host(), m.raftPort()));
        }
        // only if the group still has the configuration this list was made from: this replica's view may lag a
        // change made meanwhile (another operator's add), which a whole new list would otherwise undo
        return here.group()
                .changePeers(current, peers)
                .orTimeout(Math.max(1, remaining), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> {
                    Throwable cause = Leadership.unwrap(e);
                    boolean cut = cause instanceof TimeoutException;
                    // still down as far as anyone heard: this attempt found it so, or was cut while probing it again
                    UnreachablePeerException down =
                            cause instanceof UnreachablePeerException u ? u : cut ? unreachable : null;
                    if (clock.getAsLong() >= deadline) {
                        Throwable failure = cut && down != null ? down : e;
                        LOG.warn(
                                "fragment {}: {} the replica on {} gave up: {}",
                                here.id(),
                                add ? "adding" : "removing",
                                node,
                                failure.toString());
                        return CompletableFuture.failedFuture(failure);
                    }
                    // a new replica may not run yet (its node learns the map within seconds): try again shortly
                    return commands.delays()
                            .after(1_000)
                            .thenCompose(ignored -> changePeers(here, node, add, deadline, down));
                });
    }

    private ClusterMap.FragmentInfo fragment(int id) {
        return fragments.map().fragment(id).orElseThrow(() -> new Refused("no fragment " + id));
    }

    private Fragment local(ClusterMap.FragmentInfo info) {
        return fragments
                .local(info.id())
                .filter(Fragment::attached)
                .orElseThrow(() -> new Refused(
                        "this node holds no replica of fragment " + info.id() + "; ask one of " + info.replicas()));
    }

    private static List<String> distinct(List<String> nodes) {
        Set<String> set = new LinkedHashSet<>();
        for (String n : nodes) {
            if (n != null && !n.isBlank()) {
                set.add(n.trim());
            }
        }
        return List.copyOf(set);
    }

    private static <T> CompletableFuture<T> refused(String reason) {
        return CompletableFuture.failedFuture(new Refused(reason));
    }
}
