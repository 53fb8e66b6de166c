package io.arbiter.server.meta;

import io.arbiter.core.command.Bytes;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.SlotMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of meta commands and of the cluster map (in the meta group's log and snapshots): a version byte,
 * then big-endian fields, strings as {@link Bytes}. Decoding refuses unknown tags and versions with an
 * {@link IllegalArgumentException}.
 */
public final class MetaCodec {
    /**
     * 2: maps carry the member nodes; commands SetMembers (8) and SetDraining (9); later RecordOperators (10) and
     * snapshots with the operator history after the map (a node before them refuses tag 10). Version 1 is still
     * read. 3: maps with lock-only fragments (their ids after the members); a map without one is still written as
     * version 2.
     */
    static final int VERSION = 3;

    /** The oldest version that can hold {@code map}. */
    private static int versionFor(ClusterMap map) {
        return map != null && map.fragments().stream().anyMatch(ClusterMap.FragmentInfo::lockOnly) ? 3 : 2;
    }

    private static final int MAX_ITEMS = 1 << 16;

    private MetaCodec() {}

    public static byte[] encode(MetaCommand command) {
        return write(out -> {
            out.writeByte(command instanceof MetaCommand.Bootstrap b ? versionFor(b.map()) : 2);
            if (command instanceof MetaCommand.Bootstrap c) {
                out.writeByte(1);
                writeMap(out, c.map());
            } else if (command instanceof MetaCommand.CreateFragment c) {
                out.writeByte(2);
                out.writeInt(c.id());
                Bytes.writeStrings(out, c.replicas());
            } else if (command instanceof MetaCommand.SetReplicas c) {
                out.writeByte(3);
                out.writeInt(c.id());
                Bytes.writeStrings(out, c.replicas());
            } else if (command instanceof MetaCommand.SetAcceptsBegins c) {
                out.writeByte(4);
                out.writeInt(c.id());
                out.writeBoolean(c.accepts());
            } else if (command instanceof MetaCommand.DropFragment c) {
                out.writeByte(5);
                out.writeInt(c.id());
            } else if (command instanceof MetaCommand.ReadMap) {
                out.writeByte(6);
            } else if (command instanceof MetaCommand.ChangeReplica c) {
                out.writeByte(7);
                out.writeInt(c.id());
                Bytes.writeString(out, c.node());
                out.writeByte(c.change().ordinal());
            } else if (command instanceof MetaCommand.SetMembers c) {
                out.writeByte(8);
                Bytes.writeStrings(out, c.nodes());
            } else if (command instanceof MetaCommand.SetDraining c) {
                out.writeByte(9);
                Bytes.writeString(out, c.node());
                out.writeBoolean(c.draining());
            } else if (command instanceof MetaCommand.RecordOperators c) {
                out.writeByte(10);
                writeOperators(out, c.records());
            } else if (command instanceof MetaCommand.MoveSlots c) {
                out.writeByte(11);
                out.writeInt(c.from());
                out.writeInt(c.to());
            }
        });
    }

    public static MetaCommand decodeCommand(byte[] bytes) {
        return read(bytes, in -> {
            int version = checkVersion(in);
            int tag = in.readByte();
            return switch (tag) {
                case 1 -> new MetaCommand.Bootstrap(readMap(in, version));
                case 2 -> new MetaCommand.CreateFragment(in.readInt(), Bytes.readStrings(in));
                case 3 -> new MetaCommand.SetReplicas(in.readInt(), Bytes.readStrings(in));
                case 4 -> new MetaCommand.SetAcceptsBegins(in.readInt(), in.readBoolean());
                case 5 -> new MetaCommand.DropFragment(in.readInt());
                case 6 -> new MetaCommand.ReadMap();
                case 7 -> new MetaCommand.ChangeReplica(in.readInt(), Bytes.readString(in), change(in.readByte()));
                case 8 -> new MetaCommand.SetMembers(Bytes.readStrings(in));
                case 9 -> new MetaCommand.SetDraining(Bytes.readString(in), in.readBoolean());
                case 10 -> new MetaCommand.RecordOperators(readOperators(in));
                case 11 -> new MetaCommand.MoveSlots(in.readInt(), in.readInt());
                default -> throw new IllegalArgumentException("unknown meta command tag " + tag);
            };
        });
    }

    /** A whole map (or none: {@code null}), as the meta group's snapshot holds it. */
    public static byte[] encodeMap(ClusterMap map) {
        return write(out -> {
            out.writeByte(versionFor(map));
            out.writeBoolean(map != null);
            if (map != null) {
                writeMap(out, map);
            }
        });
    }

    public static ClusterMap decodeMap(byte[] bytes) {
        return read(bytes, MetaCodec::readVersionedMap);
    }

    /** What {@link #encodeMap} writes: version, then a map or none. */
    private static ClusterMap readVersionedMap(DataInput in) throws IOException {
        int version = checkVersion(in);
        return in.readBoolean() ? readMap(in, version) : null;
    }

    /** The meta group's snapshot: its map, then (since command 10) the operator history. */
    public record Snapshot(ClusterMap map, List<OperatorRecord> history) {}

    /** The meta group's snapshot: {@link #encodeMap} followed by the operator history. */
    public static byte[] encodeSnapshot(ClusterMap map, List<OperatorRecord> history) {
        return write(out -> {
            out.write(encodeMap(map));
            writeOperators(out, history);
        });
    }

    /** A snapshot; one written before the history was kept (a map alone) has none. */
    public static Snapshot decodeSnapshot(byte[] bytes) {
        return read(bytes, in -> {
            ClusterMap map = readVersionedMap(in);
            return new Snapshot(map, in.available() > 0 ? readOperators(in) : List.of());
        });
    }

    private static void writeOperators(DataOutput out, List<OperatorRecord> records) throws IOException {
        out.writeInt(records.size());
        for (OperatorRecord r : records) {
            Bytes.writeString(out, r.by());
            out.writeLong(r.id());
            Bytes.writeString(out, r.kind());
            out.writeInt(r.fragment());
            Bytes.writeStrings(out, r.steps());
            Bytes.writeString(out, r.reason());
            Bytes.writeString(out, r.outcome());
            out.writeInt(r.stepsDone());
            out.writeLong(r.startedMs());
            out.writeLong(r.endedMs());
            Bytes.writeString(out, r.detail());
        }
    }

    private static List<OperatorRecord> readOperators(DataInput in) throws IOException {
        int n = count(in);
        List<OperatorRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(new OperatorRecord(
                    Bytes.readString(in),
                    in.readLong(),
                    Bytes.readString(in),
                    in.readInt(),
                    Bytes.readStrings(in),
                    Bytes.readString(in),
                    Bytes.readString(in),
                    in.readInt(),
                    in.readLong(),
                    in.readLong(),
                    Bytes.readString(in)));
        }
        return records;
    }

    private static MetaCommand.ChangeReplica.Change change(int ordinal) {
        MetaCommand.ChangeReplica.Change[] all = MetaCommand.ChangeReplica.Change.values();
        if (ordinal < 0 || ordinal >= all.length) {
            throw new IllegalArgumentException("unknown replica change " + ordinal);
        }
        return all[ordinal];
    }

    private static void writeMap(DataOutput out, ClusterMap map) throws IOException {
        out.writeLong(map.epoch());
        out.writeInt(map.fragments().size());
        for (ClusterMap.FragmentInfo f : map.fragments()) {
            out.writeInt(f.id());
            Bytes.writeStrings(out, f.replicas());
            out.writeBoolean(f.acceptsBegins());
            Bytes.writeStrings(out, f.founders());
        }
        List<Integer> spread = map.slots().spreadOver();
        out.writeInt(spread.size());
        for (int id : spread) {
            out.writeInt(id);
        }
        out.writeInt(map.nodes().size());
        for (ClusterMap.NodeInfo n : map.nodes()) {
            Bytes.writeString(out, n.id());
            out.writeBoolean(n.draining());
        }
        if (versionFor(map) >= 3) {
            List<Integer> lockOnly = map.fragments().stream()
                    .filter(ClusterMap.FragmentInfo::lockOnly)
                    .map(ClusterMap.FragmentInfo::id)
                    .toList();
            out.writeInt(lockOnly.size());
            for (int id : lockOnly) {
                out.writeInt(id);
            }
        }
    }

    private static ClusterMap readMap(DataInput in, int version) throws IOException {
        long epoch = in.readLong();
        int n = count(in);
        List<ClusterMap.FragmentInfo> fragments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fragments.add(new ClusterMap.FragmentInfo(
                    in.readInt(), Bytes.readStrings(in), in.readBoolean(), Bytes.readStrings(in)));
        }
        int s = count(in);
        List<Integer> spread = new ArrayList<>(s);
        for (int i = 0; i < s; i++) {
            spread.add(in.readInt());
        }
        List<ClusterMap.NodeInfo> nodes = new ArrayList<>();
        if (version >= 2) {
            int m = count(in);
            for (int i = 0; i < m; i++) {
                nodes.add(new ClusterMap.NodeInfo(Bytes.readString(in), in.readBoolean()));
            }
        }
        if (version >= 3) {
            int k = count(in);
            java.util.Set<Integer> lockOnly = new java.util.HashSet<>();
            for (int i = 0; i < k; i++) {
                lockOnly.add(in.readInt());
            }
            fragments = fragments.stream()
                    .map(f -> lockOnly.contains(f.id())
                            ? new ClusterMap.FragmentInfo(f.id(), f.replicas(), f.acceptsBegins(), f.founders(), true)
                            : f)
                    .toList();
        }
        return new ClusterMap(epoch, fragments, SlotMap.spread(spread), nodes);
    }

    private static int count(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ITEMS) {
            throw new IOException("bad item count " + n);
        }
        return n;
    }

    private static int checkVersion(DataInput in) throws IOException {
        int v = in.readByte();
        if (v < 1 || v > VERSION) {
            throw new IOException("unknown meta encoding version " + v);
        }
        return v;
    }

    private interface Writer {
        void write(DataOutput out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            T value = reader.read(in);
            if (in.available() > 0) {
                throw new IOException(in.available() + " trailing bytes");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed meta record: " + e.getMessage(), e);
        }
    }
}
