package io.arbiter.server.fragment;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.result.Effect;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.server.coordinator.CoordinatorObserver;
import io.arbiter.server.coordinator.CoordinatorService;
import io.arbiter.server.coordinator.CoordinatorStateMachine;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * This node's replica of one fragment: the coordinator state machine (fragment id in every transaction and branch
 * id it issues), the Raft group it runs in, the service that proposes commands to it, and where the leader's
 * effects go.
 *
 * <p>Threading: the state machine runs on the group's apply thread; {@link #attach} once, before requests are
 * routed here; everything else is thread-safe.
 */
public final class Fragment {
    private final int id;
    private final CoordinatorStateMachine stateMachine;
    private final CoordinatorObserver observer;
    private volatile ReplicaGroup group;
    private volatile CoordinatorService service;
    private volatile Consumer<List<Effect>> effects = list -> {};
    private volatile BooleanSupplier takesBegins = () -> true;
    private volatile BooleanSupplier lockOnly = () -> false;
    private final AtomicInteger beginsInFlight = new AtomicInteger();

    public Fragment(int id, CoordinatorSettings settings) {
        this(id, settings, CoordinatorObserver.NONE);
    }

    /** @param observer watches the replica's applies, role changes, snapshots and proposals (for metrics) */
    public Fragment(int id, CoordinatorSettings settings, CoordinatorObserver observer) {
        this.id = id;
        this.observer = observer;
        this.stateMachine = new CoordinatorStateMachine(id, settings, list -> effects.accept(list));
        this.stateMachine.observe(observer);
    }

    public int id() {
        return id;
    }

    public CoordinatorStateMachine stateMachine() {
        return stateMachine;
    }

    /** Binds the fragment to its running Raft group. */
    public void attach(ReplicaGroup replicaGroup) {
        this.group = Objects.requireNonNull(replicaGroup, "replicaGroup");
        this.service = new CoordinatorService(replicaGroup, observer, this::lockOnly);
    }

    /** Where the leader's effects go from now on (called on the apply thread; must not block). */
    public void onEffects(Consumer<List<Effect>> sink) {
        this.effects = Objects.requireNonNull(sink, "sink");
    }

    public boolean attached() {
        return group != null;
    }

    public ReplicaGroup group() {
        return group;
    }

    public CoordinatorService service() {
        return service;
    }

    /** Commands proposed here and not yet answered (0 before the group is attached). */
    public int inFlight() {
        CoordinatorService s = service;
        return s == null ? 0 : s.inFlight();
    }

    /** Where {@link #takesBegins} is read from from now on (the cluster map as this node follows it). */
    public void takesBeginsWhile(BooleanSupplier open) {
        this.takesBegins = Objects.requireNonNull(open, "open");
    }

    /** Where {@link #lockOnly} is read from from now on (the cluster map as this node follows it). */
    public void lockOnlyWhile(BooleanSupplier only) {
        this.lockOnly = Objects.requireNonNull(only, "only");
        stateMachine.lockOnlyWhile(only);
    }

    /**
     * Whether this fragment is lock-only: it takes no transactions and its leader keeps its row locks in memory
     * ({@code docs/LOCKS.md} "Locks in the leader's memory").
     */
    public boolean lockOnly() {
        return lockOnly.getAsBoolean();
    }

    /** Whether new transactions may begin in this fragment (false once it is retired: it goes when empty). */
    public boolean takesBegins() {
        return takesBegins.getAsBoolean();
    }

    /**
     * Counts a begin about to be proposed here, unless the fragment takes no begins now (then false and nothing
     * counted). Counted first, checked second: whoever reads {@link #takesBegins} false and then
     * {@link #beginsInFlight} zero knows no begin can still reach the log from this node. Pair with
     * {@link #beginEnded} once the proposal is answered (applied, or failed).
     */
    public boolean beginStarted() {
        beginsInFlight.incrementAndGet();
        if (takesBegins()) {
            return true;
        }
        beginsInFlight.decrementAndGet();
        return false;
    }

    public void beginEnded() {
        beginsInFlight.decrementAndGet();
    }

    /** Begins proposed here and not yet answered. */
    public int beginsInFlight() {
        return beginsInFlight.get();
    }

    /** Whether this replica leads and accepts proposals now. */
    public boolean isLeader() {
        ReplicaGroup g = group;
        return g != null && g.isLeader();
    }

    /** The id of the node this replica believes leads the fragment (possibly this one). */
    public Optional<String> leaderId() {
        ReplicaGroup g = group;
        return g == null ? Optional.empty() : g.leaderId();
    }

    @Override
    public String toString() {
        return "fragment " + id;
    }
}
