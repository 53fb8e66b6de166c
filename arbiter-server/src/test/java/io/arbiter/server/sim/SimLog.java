package io.arbiter.server.sim;

import io.arbiter.core.Applied;
import io.arbiter.core.Coordinator;
import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.replication.GroupListener;
import io.arbiter.replication.GroupView;
import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.ReplicationException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One fragment's replicated log, a small deterministic stand-in for Raft (several replicas per fragment, which the
 * single-replica, threaded {@code InMemoryReplicaGroup} cannot give): the leader's proposals commit in order after
 * a random latency; the leader applies each entry when it commits (its state machine emits the effects), followers
 * apply later (slow replicas lag by up to a few hundred milliseconds, without effects). A leader change fails the
 * entries in flight with {@link IndeterminateException}, some of which were committed nonetheless (they reached a
 * majority before the leader died: applied by the others, their effects lost), then leaves the fragment without a
 * leader for an election gap, after which the new leader has applied the whole log before it learns it leads.
 *
 * <p>A reference {@link Coordinator} applies every committed entry at once: it is the fragment's committed state,
 * which the invariants read, independently of any replica.
 */
final class SimLog {
    private record Pending(byte[] bytes, CompletableFuture<byte[]> future) {}

    /** -Dsim.trace=TEXT prints every committed entry whose text contains TEXT (a transaction id, say). */
    private static final String TRACE = System.getProperty("sim.trace");

    final int fragmentId;
    private final SimLoop loop;
    final Coordinator reference;
    private final BiConsumer<SimLog, Applied> onCommit;
    private final BiConsumer<SimLog, Command> onPropose;
    final List<byte[]> committed = new ArrayList<>();
    final Map<String, Replica> replicas = new LinkedHashMap<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private String leader;
    private long term = 1;
    private long lastCommitAt;
    /** When the current leader took over (the start for a fragment that has never changed leader). */
    long electedAt;
    /** Which nodes can be elected now (a crashed node cannot). */
    java.util.function.Predicate<String> canLead = id -> true;
    /** Typical and worst commit latency, ms; raised for a slow replica set. */
    int commitMin = 1;

    int commitMax = 8;

    SimLog(
            int fragmentId,
            SimLoop loop,
            CoordinatorSettings settings,
            BiConsumer<SimLog, Applied> onCommit,
            BiConsumer<SimLog, Command> onPropose) {
        this.onPropose = onPropose;
        this.fragmentId = fragmentId;
        this.loop = loop;
        this.reference = new Coordinator(fragmentId, settings);
        this.onCommit = onCommit;
    }

    Replica replica(String nodeId, ReplicatedStateMachine stateMachine) {
        Replica r = new Replica(nodeId, stateMachine);
        replicas.put(nodeId, r);
        return r;
    }

    String leader() {
        return leader;
    }

    /** Makes {@code nodeId} the first leader (before anything runs). */
    void start(String nodeId) {
        leader = nodeId;
        electedAt = loop.now();
        replicas.get(nodeId).stateMachine.onRoleChange(true, term);
        publish();
    }

    private CompletableFuture<byte[]> propose(Replica from, byte[] bytes) {
        if (!from.nodeId.equals(leader)) {
            return CompletableFuture.failedFuture(new NotLeaderException(leader));
        }
        Pending p = new Pending(bytes.clone(), new CompletableFuture<>());
        onPropose.accept(this, CommandCodec.decode(bytes).command());
        pending.add(p);
        long at = Math.max(lastCommitAt, loop.now() + loop.between(commitMin, commitMax));
        lastCommitAt = at;
        loop.at(at, () -> commitThrough(p));
        return p.future;
    }

    /**
     * A linearizable read: the leader answers after a leadership check (a commit-like delay), from its state with
     * every committed entry applied; a leader that lost its office meanwhile answers NotLeader.
     */
    private CompletableFuture<byte[]> read(Replica from, byte[] bytes) {
        if (!from.nodeId.equals(leader)) {
            return CompletableFuture.failedFuture(new NotLeaderException(leader));
        }
        onPropose.accept(this, CommandCodec.decode(bytes).command()); // a lock-only fragment's grants are reads
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        long askedIn = term;
        byte[] request = bytes.clone();
        loop.later(loop.between(commitMin, commitMax), () -> {
            if (term != askedIn || !from.nodeId.equals(leader)) {
                answer.completeExceptionally(new NotLeaderException(leader));
                return;
            }
            from.catchUp();
            byte[] result = from.stateMachine.query(request);
            if (TRACE != null) {
                String asked = CommandCodec.decode(request).toString();
                if (asked.contains(TRACE)) {
                    System.out.printf(
                            "%d f%d read on %s (term %d) %s -> %s%n",
                            loop.now(),
                            fragmentId,
                            from.nodeId,
                            term,
                            asked,
                            io.arbiter.core.result.ResultCodec.decode(result));
                }
            }
            answer.complete(result);
        });
        return answer;
    }

    private void commitThrough(Pending p) {
        if (!pending.contains(p)) {
            return; // failed by a leader change
        }
        while (!pending.isEmpty()) {
            Pending q = pending.poll();
            commit(q.bytes);
            byte[] result = replicas.get(leader).catchUp();
            q.future.complete(result);
            if (q == p) {
                return;
            }
        }
    }

    private void commit(byte[] bytes) {
        committed.add(bytes);
        Proposal proposal = CommandCodec.decode(bytes);
        Applied applied = reference.apply(proposal);
        if (TRACE != null && proposal.toString().contains(TRACE)) {
            System.out.printf("%d f%d commit %s -> %s%n", loop.now(), fragmentId, proposal, applied);
        }
        onCommit.accept(this, applied);
        for (Replica r : replicas.values()) {
            if (!r.nodeId.equals(leader)) {
                loop.later(loop.chance(0.1) ? loop.between(50, 400) : loop.between(1, 20), r::catchUp);
            }
        }
    }

    /** The leader dies or is cut off; {@code next} leads after {@code gap} ms (null: the same node again). */
    void changeLeader(String next, long gap) {
        String old = leader;
        if (TRACE != null) {
            System.out.printf("%d f%d leader %s dies, %d in flight%n", loop.now(), fragmentId, old, pending.size());
        }
        if (old == null) {
            return; // an election is under way
        }
        leader = null;
        term++;
        List<Pending> lost = new ArrayList<>(pending);
        pending.clear();
        for (Pending p : lost) {
            if (loop.random.nextBoolean()) {
                commit(p.bytes); // reached a majority: committed, though the leader did not apply it
            }
        }
        replicas.get(old).stateMachine.onRoleChange(false, term);
        publish();
        for (Pending p : lost) {
            p.future.completeExceptionally(new IndeterminateException(null, "leader " + old + " lost leadership"));
        }
        String chosen = next == null ? old : next;
        long electedTerm = term;
        loop.later(gap, () -> {
            if (term != electedTerm || leader != null) {
                return;
            }
            String elected = canLead.test(chosen)
                    ? chosen
                    : replicas.keySet().stream().filter(canLead).findFirst().orElse(chosen);
            Replica r = replicas.get(elected);
            r.catchUp();
            leader = elected;
            electedAt = loop.now();
            r.stateMachine.onRoleChange(true, term);
            publish();
        });
    }

    private void publish() {
        for (Replica r : replicas.values()) {
            r.publish();
        }
    }

    /** One node's replica of the fragment. */
    final class Replica implements ReplicaGroup {
        final String nodeId;
        final ReplicatedStateMachine stateMachine;
        private final List<GroupListener> listeners = new ArrayList<>();
        private long applied;
        private GroupView view;

        private Replica(String nodeId, ReplicatedStateMachine stateMachine) {
            this.nodeId = nodeId;
            this.stateMachine = stateMachine;
            this.view = makeView(0);
        }

        /** Applies every committed entry not applied yet; the result of the last one (null if none). */
        byte[] catchUp() {
            byte[] last = null;
            while (applied < committed.size()) {
                applied++;
                last = stateMachine.apply(applied, committed.get((int) applied - 1));
            }
            return last;
        }

        private GroupView makeView(long version) {
            List<Peer> peers = replicas.keySet().stream()
                    .map(id -> new Peer(id, "sim-" + id, 1))
                    .toList();
            return new GroupView(
                    version, nodeId, peers, Optional.ofNullable(leader), term, nodeId.equals(leader), true);
        }

        private void publish() {
            GroupView next = makeView(view.version() + 1);
            if (next.differsFrom(view)) {
                view = next;
                for (GroupListener l : List.copyOf(listeners)) {
                    l.onChange(next);
                }
            }
        }

        @Override
        public CompletableFuture<byte[]> propose(byte[] command) {
            return SimLog.this.propose(this, command);
        }

        @Override
        public CompletableFuture<byte[]> query(byte[] request) {
            return SimLog.this.read(this, request);
        }

        @Override
        public boolean isLeader() {
            return nodeId.equals(leader);
        }

        @Override
        public Optional<String> leaderId() {
            return Optional.ofNullable(leader);
        }

        @Override
        public long term() {
            return term;
        }

        @Override
        public List<Peer> peers() {
            return view.peers();
        }

        @Override
        public GroupView view() {
            return view;
        }

        @Override
        public void addListener(GroupListener listener) {
            listeners.add(listener);
            listener.onChange(view);
        }

        @Override
        public void removeListener(GroupListener listener) {
            listeners.remove(listener);
        }

        @Override
        public CompletableFuture<Void> changePeers(List<Peer> newPeers) {
            return CompletableFuture.failedFuture(
                    new ReplicationException(ReplicationException.Reason.FAILED, "not simulated"));
        }

        @Override
        public CompletableFuture<Void> transferLeadership(String peerId) {
            return CompletableFuture.failedFuture(
                    new ReplicationException(ReplicationException.Reason.FAILED, "not simulated"));
        }

        @Override
        public void start() {}

        @Override
        public void close() {}
    }
}
