package io.arbiter.server.meta;

import io.arbiter.server.fragment.ClusterMap;
import java.util.List;

/** Every change of the cluster map, as replicated through the meta group. */
public sealed interface MetaCommand {

    /** The map a new cluster starts with; ignored once a map exists (every node may propose it). */
    record Bootstrap(ClusterMap map) implements MetaCommand {}

    /** A new fragment with replicas on these nodes (its founders); refused if the id is taken. */
    record CreateFragment(int id, List<String> replicas) implements MetaCommand {
        public CreateFragment {
            replicas = List.copyOf(replicas);
        }
    }

    /** The nodes that hold a fragment's replicas now (after a replica was added or removed). */
    record SetReplicas(int id, List<String> replicas) implements MetaCommand {
        public SetReplicas {
            replicas = List.copyOf(replicas);
        }
    }

    /**
     * A change of one fragment's replica list, applied to the map as the meta group has it (not to a copy that may lag
     * on the proposing node): add a node (at the end), remove one, or move one to the front (its preferred leader).
     */
    record ChangeReplica(int id, String node, Change change) implements MetaCommand {
        /** What happens to {@code node} in the list. */
        public enum Change {
            ADD,
            REMOVE,
            PREFER
        }
    }

    /** Whether a fragment takes new transactions ({@code false}: retired, it goes once empty). */
    record SetAcceptsBegins(int id, boolean accepts) implements MetaCommand {}

    /**
     * Reads the map: a linearizable read on the meta leader (no log entry; older logs hold it as an entry, applied
     * the same way), so the answer is the newest committed map. Answers the encoded map.
     */
    record ReadMap() implements MetaCommand {}

    /**
     * Every lock slot of fragment {@code from} belongs to {@code to} from now on (a retired fragment hands its slots
     * over before it is dropped: {@code docs/LOCKS.md} "Moving slots"). Changes nothing when {@code from} owns none.
     */
    record MoveSlots(int from, int to) implements MetaCommand {}

    /** Removes a retired fragment that owns no lock slots from the map. */
    record DropFragment(int id) implements MetaCommand {}

    /**
     * The cluster's member nodes from now on (a node that leaves must hold no replica any more: drain it first);
     * those that stay keep their draining flag.
     */
    record SetMembers(List<String> nodes) implements MetaCommand {
        public SetMembers {
            nodes = List.copyOf(nodes);
        }
    }

    /** Whether everything is to be moved off a member node (placement moves its replicas and leaders away). */
    record SetDraining(String node, boolean draining) implements MetaCommand {}

    /**
     * Keeps placement operators that ended (newest first) in the meta group's history; changes no map and no
     * epoch.
     */
    record RecordOperators(List<OperatorRecord> records) implements MetaCommand {
        public RecordOperators {
            records = List.copyOf(records);
        }
    }
}
