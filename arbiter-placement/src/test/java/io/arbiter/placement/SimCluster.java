package io.arbiter.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A simulated cluster for the placement tests: nodes that are up, down, slow or draining; fragments with voters
 * and a leader elected among reachable voters when a quorum is; steps that take seeded time and fail when the
 * cluster cannot do them (as the real primitives would). Every step applied is checked for quorum: a step that
 * leaves a fragment's voters without a reachable majority is recorded as a violation.
 *
 * <p>Threading: single-threaded; one tick is one second.
 */
final class SimCluster implements Actuator {
    static final class Node {
        final String id;
        boolean up = true;
        long since = -1;
        boolean draining;
        int slowness = 1;

        Node(String id) {
            this.id = id;
        }
    }

    static final class Frag {
        final int id;
        List<String> replicas;
        String leader;
        boolean accepts = true;
        int active;

        Frag(int id, List<String> replicas) {
            this.id = id;
            this.replicas = new ArrayList<>(replicas);
            this.leader = replicas.get(0);
        }
    }

    private record Pending(long operatorId, Step step, long dueTick) {}

    final Map<String, Node> nodes = new TreeMap<>();
    final Map<Integer, Frag> frags = new TreeMap<>();
    final List<String> violations = new ArrayList<>();
    final Random random;
    private final List<Pending> pending = new ArrayList<>();
    private OperatorExecutor executor;
    long tick;
    int stepsApplied;
    int replicaMoves;
    int leaderMoves;
    /** Open transactions over all fragments taking begins (spread evenly over them). */
    int totalLoad;

    SimCluster(long seed, int nodeCount, int fragmentCount, int replicas) {
        random = new Random(seed);
        for (int i = 0; i < nodeCount; i++) {
            addNode();
        }
        List<String> ids = new ArrayList<>(nodes.keySet());
        for (int f = 0; f < fragmentCount; f++) {
            List<String> rs = new ArrayList<>();
            for (int r = 0; r < Math.min(replicas, ids.size()); r++) {
                rs.add(ids.get((f + r) % ids.size()));
            }
            frags.put(f, new Frag(f, rs));
        }
    }

    void attach(OperatorExecutor exec) {
        this.executor = exec;
    }

    String addNode() {
        String id = String.format("n%03d", nodes.size());
        while (nodes.containsKey(id)) {
            id = id + "x";
        }
        Node n = new Node(id);
        n.since = tick == 0 ? -1 : tick * 1000; // a member from the start, or one that just joined
        nodes.put(id, n);
        return id;
    }

    void setUp(String id, boolean up) {
        Node n = nodes.get(id);
        if (n.up != up) {
            n.up = up;
            n.since = tick * 1000;
        }
    }

    /** The state as the meta leader would gather it now. */
    ClusterState state() {
        List<NodeState> ns = new ArrayList<>();
        for (Node n : nodes.values()) {
            ns.add(new NodeState(n.id, n.up, n.since, n.draining, 0));
        }
        List<FragmentState> fs = new ArrayList<>();
        for (Frag f : frags.values()) {
            fs.add(new FragmentState(f.id, f.replicas, f.leader, f.accepts, f.active * 2.0, f.active, 0));
        }
        return ClusterState.of(ns, fs);
    }

    /** One second: elections, load spread, retired fragments dropped, due steps applied. */
    void advance() {
        tick++;
        List<Frag> accepting = frags.values().stream().filter(f -> f.accepts).toList();
        for (Frag f : frags.values()) {
            f.active = f.accepts && !accepting.isEmpty() ? totalLoad / accepting.size() : 0;
            if (f.leader == null || !up(f.leader) || !f.replicas.contains(f.leader)) {
                f.leader = null;
                if (quorum(f.replicas)) {
                    List<String> candidates =
                            f.replicas.stream().filter(this::up).toList();
                    f.leader = candidates.get(random.nextInt(candidates.size()));
                }
            }
        }
        frags.values().removeIf(f -> !f.accepts && f.active == 0 && frags.size() > 1);
        List<Pending> due = pending.stream()
                .filter(p -> p.dueTick <= tick)
                .sorted(Comparator.comparingLong(Pending::operatorId))
                .toList();
        pending.removeAll(due);
        for (Pending p : due) {
            String failure = apply(p.step);
            executor.stepDone(p.operatorId, failure == null, failure);
        }
    }

    boolean up(String node) {
        Node n = nodes.get(node);
        return n != null && n.up;
    }

    boolean quorum(List<String> voters) {
        long up = voters.stream().filter(this::up).count();
        return !voters.isEmpty() && up >= voters.size() / 2 + 1;
    }

    @Override
    public void start(long operatorId, Step step) {
        int duration = 1;
        if (step instanceof Step.AddReplica a) {
            Node n = nodes.get(a.node());
            duration = (2 + random.nextInt(4)) * (n == null ? 1 : n.slowness); // catch-up by snapshot
        } else if (step instanceof Step.CreateFragment) {
            duration = 2;
        }
        pending.add(new Pending(operatorId, step, tick + duration));
    }

    /** Applies a step as the real primitive would; returns why it failed, or null. */
    private String apply(Step step) {
        if (step instanceof Step.CreateFragment c) {
            if (!c.replicas().stream().allMatch(this::up)) {
                return "a replica's node is down";
            }
            int id = frags.isEmpty()
                    ? 0
                    : Math.max(frags.keySet().stream().max(Integer::compare).get(), maxSeen) + 1;
            maxSeen = id;
            frags.put(id, new Frag(id, c.replicas()));
            stepsApplied++;
            return null;
        }
        Frag f = frags.get(step.fragment());
        if (f == null) {
            return "no fragment " + step.fragment();
        }
        if (step instanceof Step.RetireFragment) {
            f.accepts = false;
            stepsApplied++;
            return null;
        }
        if (f.leader == null || !quorum(f.replicas)) {
            return "fragment " + f.id + " has no leader";
        }
        if (step instanceof Step.AddReplica a) {
            if (!up(a.node()) || !nodes.containsKey(a.node())) {
                return "node " + a.node() + " is down";
            }
            if (!f.replicas.contains(a.node())) {
                f.replicas.add(a.node());
                replicaMoves++;
            }
        } else if (step instanceof Step.RemoveReplica r) {
            if (r.node().equals(f.leader)) {
                return "cannot remove the leader";
            }
            f.replicas.remove(r.node());
            replicaMoves++;
        } else if (step instanceof Step.TransferLeader t) {
            if (!f.replicas.contains(t.node()) || !up(t.node())) {
                return "node " + t.node() + " cannot lead";
            }
            f.leader = t.node();
            leaderMoves++;
        }
        stepsApplied++;
        if (!quorum(f.replicas)) {
            violations.add("tick " + tick + ": " + step + " left fragment " + f.id + " without quorum " + f.replicas);
        }
        return null;
    }

    private int maxSeen = -1;
}
