package io.arbiter.server.meta;

import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.SnapshotWriter;
import io.arbiter.server.fragment.ClusterMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The meta group's state: the cluster map, changed only by {@link MetaCommand}s in log order, so that every node
 * that follows the group sees the same sequence of maps. A command that does not fit the map (an id taken, a
 * fragment that does not exist, dropping one that still takes transactions or owns lock slots) changes nothing and
 * answers why.
 *
 * <p>Threading: apply, snapshot and restore on the group's apply thread; {@link #map} from any thread; listeners are
 * called on the apply thread and must not block.
 */
public final class MetaStateMachine implements ReplicatedStateMachine {
    /** How many ended placement operators the history keeps. */
    public static final int HISTORY_KEPT = 100;

    private final List<Consumer<ClusterMap>> listeners = new CopyOnWriteArrayList<>();
    private volatile ClusterMap map;
    private volatile List<OperatorRecord> history = List.of();

    /** Placement operators that ended, newest first (at most {@link #HISTORY_KEPT}). */
    public List<OperatorRecord> history() {
        return history;
    }

    /** The current map, or null before the cluster was bootstrapped. */
    public ClusterMap map() {
        return map;
    }

    /** Told every new map (on the apply thread; must only hand off). */
    public void onChange(Consumer<ClusterMap> listener) {
        listeners.add(listener);
    }

    /** {@link MetaCommand.ReadMap}, answered by the leader without a log entry. */
    @Override
    public byte[] query(byte[] request) {
        if (!(MetaCodec.decodeCommand(request) instanceof MetaCommand.ReadMap)) {
            throw new IllegalArgumentException("the meta group answers only ReadMap as a read");
        }
        return MetaCodec.encodeMap(map);
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        MetaCommand c = MetaCodec.decodeCommand(command);
        if (c instanceof MetaCommand.ReadMap) {
            return MetaCodec.encodeMap(map);
        }
        if (c instanceof MetaCommand.RecordOperators r) {
            if (map == null) {
                return answer(false, NOT_BOOTSTRAPPED);
            }
            history = withRecorded(history, r.records());
            return answer(true, Long.toString(map.epoch()));
        }
        String refusal = refusal(c);
        if (refusal != null) {
            return answer(false, refusal);
        }
        ClusterMap changed = next(c);
        // a command that changes nothing keeps the epoch (every replica must count the same epochs for the same maps;
        // nodes follow maps by epoch). A safety net: the drift seen in a soak run came from a re-joined replica that
        // started on an earlier replica's map (see MetaGroup.replicaStateMachine), not from entries applied twice
        ClusterMap next = changed != map && map != null && sameContent(changed, map) ? map : changed;
        if (next != map) {
            map = next;
            listeners.forEach(l -> l.accept(next));
        }
        return answer(true, Long.toString(next.epoch()));
    }

    /** {@code recorded} (newest first) put before {@code kept}, without runs already there, cut to the limit. */
    static List<OperatorRecord> withRecorded(List<OperatorRecord> kept, List<OperatorRecord> recorded) {
        List<OperatorRecord> next = new java.util.ArrayList<>(HISTORY_KEPT);
        for (OperatorRecord r : recorded) {
            if (kept.stream().noneMatch(r::sameRun) && next.stream().noneMatch(r::sameRun)) {
                next.add(r);
            }
        }
        next.addAll(kept);
        return List.copyOf(next.subList(0, Math.min(next.size(), HISTORY_KEPT)));
    }

    /** The refusal of every command but a bootstrap while the map is not bootstrapped (worth a retry). */
    public static final String NOT_BOOTSTRAPPED = "the cluster map is not bootstrapped yet";

    private String refusal(MetaCommand c) {
        if (c instanceof MetaCommand.Bootstrap) {
            return null;
        }
        if (map == null) {
            return NOT_BOOTSTRAPPED;
        }
        if (c instanceof MetaCommand.SetMembers m) {
            List<String> holding = map.fragments().stream()
                    .flatMap(f -> f.replicas().stream())
                    .filter(n -> !m.nodes().contains(n))
                    .distinct()
                    .sorted()
                    .toList();
            return m.nodes().isEmpty()
                    ? "a cluster needs at least one member"
                    : !holding.isEmpty() ? "node(s) " + holding + " still hold replicas: drain them first" : null;
        }
        if (c instanceof MetaCommand.SetDraining d) {
            return map.members().contains(d.node()) ? null : "no member " + d.node();
        }
        if (c instanceof MetaCommand.MoveSlots move) {
            if (!map.slots().owns(move.from())) {
                return null; // done already: changes nothing
            }
            if (move.to() == move.from()) {
                return "fragment " + move.from() + " cannot take its own slots";
            }
            var to = map.fragment(move.to());
            if (to.isEmpty()) {
                return "no fragment " + move.to();
            }
            if (map.lockOnly(move.from()) || to.get().lockOnly()) {
                return "lock-only fragments keep their slots (their locks live in their leader's memory)";
            }
            return to.get().acceptsBegins() ? null : "fragment " + move.to() + " is retired";
        }
        if (c instanceof MetaCommand.CreateFragment create) {
            return map.fragment(create.id()).isPresent()
                    ? "fragment " + create.id() + " exists already"
                    : create.replicas().isEmpty() ? "a fragment needs at least one replica" : null;
        }
        int id = c instanceof MetaCommand.SetReplicas s
                ? s.id()
                : c instanceof MetaCommand.SetAcceptsBegins a
                        ? a.id()
                        : c instanceof MetaCommand.ChangeReplica r ? r.id() : ((MetaCommand.DropFragment) c).id();
        if (map.fragment(id).isEmpty()) {
            return "no fragment " + id;
        }
        if (c instanceof MetaCommand.SetAcceptsBegins a && !a.accepts() && map.lockOnly(id)) {
            return "fragment " + id + " is lock-only: it takes no transactions and is not retired";
        }
        if (c instanceof MetaCommand.SetReplicas s && s.replicas().isEmpty()) {
            return "a fragment needs at least one replica";
        }
        if (c instanceof MetaCommand.ChangeReplica r) {
            List<String> replicas = map.fragment(id).get().replicas();
            if (r.change() == MetaCommand.ChangeReplica.Change.REMOVE && replicas.equals(List.of(r.node()))) {
                return "fragment " + id + " would have no replica left; retire it instead";
            }
            if (r.change() == MetaCommand.ChangeReplica.Change.PREFER && !replicas.contains(r.node())) {
                return "node " + r.node() + " holds no replica of fragment " + id;
            }
        }
        if (c instanceof MetaCommand.DropFragment) {
            if (map.fragment(id).get().acceptsBegins()) {
                return "fragment " + id + " still takes transactions; retire it first";
            }
            if (map.slots().owns(id)) {
                return "fragment " + id + " owns lock slots";
            }
        }
        return null;
    }

    private ClusterMap next(MetaCommand c) {
        if (c instanceof MetaCommand.Bootstrap b) {
            return map != null ? map : b.map();
        } else if (c instanceof MetaCommand.SetMembers m) {
            return m.nodes().stream()
                            .sorted()
                            .toList()
                            .equals(map.nodes().stream()
                                    .map(ClusterMap.NodeInfo::id)
                                    .toList())
                    ? map
                    : map.withMembers(m.nodes());
        } else if (c instanceof MetaCommand.SetDraining d) {
            ClusterMap withList = map.nodes().isEmpty() ? map.withMembers(map.members()) : map;
            return withList.node(d.node()).map(ClusterMap.NodeInfo::draining).orElse(false) == d.draining()
                            && withList == map
                    ? map
                    : withList.withDraining(d.node(), d.draining());
        } else if (c instanceof MetaCommand.CreateFragment create) {
            return map.with(new ClusterMap.FragmentInfo(create.id(), create.replicas(), true, create.replicas()));
        } else if (c instanceof MetaCommand.SetReplicas s) {
            return map.with(map.fragment(s.id())
                    .orElseThrow()
                    .withReplicas(s.replicas())
                    .withoutFounders());
        } else if (c instanceof MetaCommand.ChangeReplica r) {
            ClusterMap.FragmentInfo info = map.fragment(r.id()).orElseThrow();
            List<String> replicas = new java.util.ArrayList<>(info.replicas());
            replicas.remove(r.node());
            switch (r.change()) {
                case ADD ->
                    replicas.add(
                            info.replicas().contains(r.node()) ? info.replicas().indexOf(r.node()) : replicas.size(),
                            r.node());
                case PREFER -> replicas.add(0, r.node());
                case REMOVE -> {}
            }
            if (replicas.equals(info.replicas())) {
                return map;
            }
            ClusterMap.FragmentInfo changed = info.withReplicas(replicas);
            return map.with(
                    r.change() == MetaCommand.ChangeReplica.Change.PREFER ? changed : changed.withoutFounders());
        } else if (c instanceof MetaCommand.SetAcceptsBegins a) {
            return map.with(map.fragment(a.id()).orElseThrow().withAcceptsBegins(a.accepts()));
        } else if (c instanceof MetaCommand.MoveSlots move) {
            return map.slots().owns(move.from()) ? map.withSlots(map.slots().moved(move.from(), move.to())) : map;
        }
        return map.without(((MetaCommand.DropFragment) c).id());
    }

    private static boolean sameContent(ClusterMap a, ClusterMap b) {
        return a.fragments().equals(b.fragments())
                && a.slots().equals(b.slots())
                && a.nodes().equals(b.nodes());
    }

    /** The encoded answer: ok flag, then the new epoch (ok) or the reason (refused). */
    static byte[] answer(boolean ok, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + t.length).put((byte) (ok ? 1 : 0)).put(t).array();
    }

    /** Throws {@link IllegalStateException} with the reason if {@code answer} says refused; else the new epoch. */
    public static long epochOrThrow(byte[] answer) {
        String text = new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8);
        if (answer[0] == 0) {
            throw new IllegalStateException(text);
        }
        return Long.parseLong(text);
    }

    @Override
    public SnapshotWriter snapshot() {
        byte[] bytes = MetaCodec.encodeSnapshot(map, history);
        return out -> out.write(bytes);
    }

    @Override
    public void restore(InputStream in) throws IOException {
        MetaCodec.Snapshot snapshot = MetaCodec.decodeSnapshot(in.readAllBytes());
        ClusterMap restored = snapshot.map();
        history = snapshot.history();
        map = restored;
        if (restored != null) {
            listeners.forEach(l -> l.accept(restored));
        }
    }
}
