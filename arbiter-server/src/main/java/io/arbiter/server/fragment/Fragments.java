package io.arbiter.server.fragment;

import io.arbiter.replication.GroupListener;
import io.arbiter.server.cluster.ChangeVersion;
import io.arbiter.server.cluster.ClusterMember;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The fragments of the cluster as this node sees them: the cluster map, this node's replicas (one {@link Fragment}
 * each), who leads each fragment, and a version that rises whenever any of it changes (for the request router's
 * retries and the metadata API's long polls).
 *
 * <p>Threading: thread-safe; group listeners run on the replication layer's threads and only bump the version.
 */
public final class Fragments {
    private final java.util.List<java.util.function.Consumer<ClusterMap>> mapListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String selfId;
    private final Function<String, Optional<ClusterMember>> members;
    private final Map<Integer, Fragment> local = new ConcurrentSkipListMap<>();
    private final ChangeVersion version = new ChangeVersion();
    private final AtomicInteger nextBegin = new AtomicInteger();
    private final BeginPlacement placement = new BeginPlacement();
    private final Map<Integer, Integer> guesses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ClusterMap map;
    /** The lock-only fragments of {@link #map}, kept with it: asked on every lock call and every applied command. */
    private volatile java.util.Set<Integer> lockOnly;

    /**
     * @param members looks up a node by id (for its addresses), as the cluster view knows it
     */
    public Fragments(String selfId, ClusterMap map, Function<String, Optional<ClusterMember>> members) {
        this.selfId = selfId;
        this.map = Objects.requireNonNull(map, "map");
        this.lockOnly = lockOnlyIds(map);
        this.members = members;
    }

    public ClusterMap map() {
        return map;
    }

    public SlotMap slots() {
        return map.slots();
    }

    /** Replaces the cluster map (a newer one from the meta group). */
    public void setMap(ClusterMap newMap) {
        this.lockOnly = lockOnlyIds(Objects.requireNonNull(newMap, "newMap"));
        this.map = newMap;
        version.bump();
        mapListeners.forEach(l -> l.accept(newMap));
    }

    private static java.util.Set<Integer> lockOnlyIds(ClusterMap map) {
        return map.fragments().stream()
                .filter(ClusterMap.FragmentInfo::lockOnly)
                .map(ClusterMap.FragmentInfo::id)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Whether fragment {@code id} is lock-only in the map this node follows (false for an unknown one). */
    public boolean lockOnly(int id) {
        return lockOnly.contains(id);
    }

    /** Calls {@code listener} with every map set from now on (on the thread that sets it; must not block). */
    public void onMapChange(java.util.function.Consumer<ClusterMap> listener) {
        mapListeners.add(listener);
    }

    /** Forgets this node's replica of a fragment (it was removed from here). */
    public void remove(int id) {
        local.remove(id);
        version.bump();
    }

    /** Adds this node's replica of a fragment; its group's view changes count as changes from now on. */
    public void add(Fragment fragment) {
        fragment.takesBeginsWhile(() -> takesBegins(fragment.id()));
        fragment.lockOnlyWhile(() -> lockOnly(fragment.id()));
        local.put(fragment.id(), fragment);
        version.bump();
    }

    /** Starts counting the view changes of a fragment's group as changes (call once its group is attached). */
    public void follow(Fragment fragment) {
        GroupListener listener = view -> version.bump();
        fragment.group().addListener(listener);
    }

    /** This node's replica of fragment {@code id}, if it holds one. */
    public Optional<Fragment> local(int id) {
        return Optional.ofNullable(local.get(id));
    }

    /** This node's replicas, ascending by fragment id. */
    public Collection<Fragment> all() {
        return local.values();
    }

    /** The fragments this node leads now, ascending by id. */
    public List<Fragment> ledHere() {
        List<Fragment> led = new ArrayList<>();
        for (Fragment f : local.values()) {
            if (f.isLeader()) {
                led.add(f);
            }
        }
        return led;
    }

    /**
     * The node that leads fragment {@code id}, as far as this node knows: its replica's view when this node holds
     * one that knows a leader; otherwise a guess among the fragment's replicas in the map, starting with the first
     * (the one it prefers as leader), moved on by {@link #notLeader} whenever the guessed node says it does not
     * lead. (A replica joining here knows no leader until the group has added it, seconds after an undrain or a
     * move back: requests from this node must not wait for that.)
     */
    public Optional<ClusterMember> leaderOf(int id) {
        Optional<ClusterMember> seen = localLeader(id);
        if (seen.isPresent()) {
            return seen;
        }
        List<String> replicas =
                map.fragment(id).map(ClusterMap.FragmentInfo::replicas).orElse(List.of());
        if (replicas.isEmpty()) {
            return Optional.empty();
        }
        return members.apply(replicas.get(Math.floorMod(guesses.getOrDefault(id, 0), replicas.size())));
    }

    /** The leader this node's replica of {@code id} knows, if it holds one that knows one. */
    private Optional<ClusterMember> localLeader(int id) {
        Fragment f = local.get(id);
        return f != null && f.attached() ? f.leaderId().flatMap(members) : Optional.empty();
    }

    /** Node {@code nodeId} said it does not lead fragment {@code id}: guess the next replica from now on. */
    public void notLeader(int id, String nodeId) {
        if (localLeader(id).isPresent()) {
            return; // this node's replica knows the leader
        }
        Optional<ClusterMember> guessed = leaderOf(id);
        if (guessed.isPresent() && guessed.get().id().equals(nodeId)) {
            guesses.merge(id, 1, Integer::sum);
            version.bump();
        }
    }

    /**
     * The fragment a new transaction begun on this node now goes to: one this node leads and that takes begins
     * (chosen by {@link BeginPlacement}: alternating when begins are few, one at a time under load); otherwise (this
     * node leads none) one led elsewhere, in turn, to be forwarded; -1 if no leader is known.
     */
    public int beginFragment(long nowMs) {
        List<Integer> led = new ArrayList<>();
        for (Fragment f : local.values()) {
            if (f.isLeader() && takesBegins(f.id())) {
                led.add(f.id());
            }
        }
        if (!led.isEmpty()) {
            return placement.choose(led, id -> local(id).map(Fragment::inFlight).orElse(0), nowMs);
        }
        List<Integer> elsewhere = new ArrayList<>();
        for (ClusterMap.FragmentInfo info : map.fragments()) {
            if (info.takesBegins() && leaderOf(info.id()).isPresent()) {
                elsewhere.add(info.id());
            }
        }
        if (elsewhere.isEmpty()) {
            return -1;
        }
        return elsewhere.get(Math.floorMod(nextBegin.getAndIncrement(), elsewhere.size()));
    }

    /** Whether the map as this node follows it lets fragment {@code id} take new transactions. */
    public boolean takesBegins(int id) {
        return map.fragment(id).map(ClusterMap.FragmentInfo::takesBegins).orElse(false);
    }

    /** The fragment that holds a request's transaction: the one named by its id, or -1 if no such fragment. */
    public int fragmentOfTransaction(long transactionOrBranchId) {
        if (transactionOrBranchId <= 0) {
            return -1;
        }
        int f = FragmentIds.fragmentOfId(transactionOrBranchId);
        return map.fragment(f).isPresent() ? f : -1;
    }

    public String selfId() {
        return selfId;
    }

    public long version() {
        return version.get();
    }

    public CompletableFuture<Void> changedSince(long known) {
        return version.after(known);
    }

    /** Counts an outside change (membership, reachability) as a change of the fragments' picture. */
    public void bump() {
        version.bump();
    }
}
