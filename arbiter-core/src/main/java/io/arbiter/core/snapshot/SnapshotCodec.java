package io.arbiter.core.snapshot;

import io.arbiter.core.command.Bytes;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Versioned binary form of a {@link CoordinatorSnapshot}:
 * {@code i32 magic, i32 version, i32 fragment, i64 sequence, i32 n, n × transaction, i32 m, m × (i64 origin,
 * i64 sequence, i32 length, result), i32 k, k × (i64 id, u8 status), i32 h, h × foreign holder, i32 a, a × (string resource, i64 lastRegisteredAt), u8 locksHandedOver, i32 l, l × (i32 lock fragment, i64 fence term)}, where a foreign
 * holder is {@code i64 id, string xid, i64 lastAcquiredAt, i32 r, r × string row, r × i64 attempt} and each branch of a transaction
 * ends with {@code i32 f, f × i32 remote fragment, i32 q, q × string remote row}.
 *
 * Each transaction's {@code i32 attempts} is followed by {@code u8 retryStopped} (an operator stopped its
 * phase-two retries).
 *
 * <p>Older versions are still read: version 7 lacks the lock fences; version 6 lacks the "locks handed over" flag and the rows' attempts; version 5 lacks the AT resources; version 4 lacks the retry-stopped flag; version 3 lacks the foreign holders and the branches' remote parts; version 2
 * also lacks the ended transactions.
 */
public final class SnapshotCodec {
    private static final int MAGIC = 0x41524253; // "ARBS"
    private static final int VERSION = 8;
    /** Version 7: no lock fences. */
    private static final int VERSION_WITHOUT_FENCES = 7;
    /** Version 6 had no "locks handed over" flag; still read. */
    private static final int VERSION_WITHOUT_HAND_OVER = 6;
    /** Version 5 had no AT resources; still read. */
    private static final int VERSION_WITHOUT_AT_RESOURCES = 5;
    /** Version 4 had no "retries stopped" flag on transactions; still read. */
    private static final int VERSION_WITHOUT_RETRY_STOP = 4;
    /** Version 3 had no foreign holders and no remote fragments or rows on branches; still read. */
    private static final int VERSION_WITHOUT_REMOTE_LOCKS = 3;
    /** Version 2 had no ended transactions either; still read. */
    private static final int VERSION_WITHOUT_ENDED = 2;

    private SnapshotCodec() {}

    public static void write(CoordinatorSnapshot snapshot, OutputStream target) throws IOException {
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(target, 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(snapshot.fragmentId());
        out.writeLong(snapshot.sequence());
        out.writeInt(snapshot.transactions().size());
        for (GlobalTransaction tx : snapshot.transactions()) {
            writeTransaction(tx, out);
        }
        out.writeInt(snapshot.answers().size());
        for (Map.Entry<RequestId, Result> e : snapshot.answers().entrySet()) {
            out.writeLong(e.getKey().origin());
            out.writeLong(e.getKey().sequence());
            byte[] answer = ResultCodec.encode(e.getValue());
            out.writeInt(answer.length);
            out.write(answer);
        }
        out.writeInt(snapshot.ended().size());
        for (Map.Entry<Long, GlobalStatus> e : snapshot.ended().entrySet()) {
            out.writeLong(e.getKey());
            out.writeByte(e.getValue().code());
        }
        Bytes.writeHolders(out, snapshot.foreignHolders());
        out.writeInt(snapshot.atResources().size());
        for (Map.Entry<String, Long> e : snapshot.atResources().entrySet()) {
            Bytes.writeString(out, e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeBoolean(snapshot.locksHandedOver());
        out.writeInt(snapshot.lockFences().size());
        for (Map.Entry<Integer, Long> e : snapshot.lockFences().entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
        out.flush();
    }

    /**
     * Reads a snapshot whole.
     *
     * @throws IOException if the bytes are not a snapshot of a known version, or a corrupt one (nothing of it is
     *     returned: the caller applies all of it or none)
     */
    public static CoordinatorSnapshot read(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(source, 1 << 16));
        try {
            return readChecked(in);
        } catch (RuntimeException e) { // a value no writer produces: an unknown status code, a missing field, ...
            throw new IOException("corrupt coordinator snapshot: " + e.getMessage(), e);
        }
    }

    private static CoordinatorSnapshot readChecked(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a coordinator snapshot (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION
                && version != VERSION_WITHOUT_FENCES
                && version != VERSION_WITHOUT_HAND_OVER
                && version != VERSION_WITHOUT_AT_RESOURCES
                && version != VERSION_WITHOUT_RETRY_STOP
                && version != VERSION_WITHOUT_REMOTE_LOCKS
                && version != VERSION_WITHOUT_ENDED) {
            throw new IOException("unsupported snapshot version " + version);
        }
        int fragmentId = in.readInt();
        long sequence = in.readLong();
        int count = Bytes.readCount(in);
        List<GlobalTransaction> txs = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            txs.add(readTransaction(in, version));
        }
        int answers = in.readInt();
        Map<RequestId, Result> seen = new LinkedHashMap<>();
        for (int i = 0; i < answers; i++) {
            RequestId id = new RequestId(in.readLong(), in.readLong());
            byte[] answer = new byte[Bytes.readCount(in)];
            in.readFully(answer);
            seen.put(id, ResultCodec.decode(answer));
        }
        Map<Long, GlobalStatus> ended = new LinkedHashMap<>();
        int endedCount = version == VERSION_WITHOUT_ENDED ? 0 : in.readInt();
        for (int i = 0; i < endedCount; i++) {
            long transactionId = in.readLong();
            ended.put(transactionId, GlobalStatus.fromCode(in.readUnsignedByte()));
        }
        List<ForeignHolder> holders =
                version < VERSION_WITHOUT_RETRY_STOP ? List.of() : readHolders(in, version >= VERSION_WITHOUT_FENCES);
        Map<String, Long> atResources = new LinkedHashMap<>();
        int resourceCount = version < VERSION_WITHOUT_HAND_OVER ? 0 : Bytes.readCount(in);
        for (int i = 0; i < resourceCount; i++) {
            atResources.put(Bytes.readString(in), in.readLong());
        }
        boolean handedOver = version >= VERSION_WITHOUT_FENCES && in.readBoolean();
        Map<Integer, Long> fences = new java.util.TreeMap<>();
        int fenceCount = version < VERSION ? 0 : Bytes.readCount(in);
        for (int i = 0; i < fenceCount; i++) {
            fences.put(in.readInt(), in.readLong());
        }
        return new CoordinatorSnapshot(
                fragmentId, sequence, txs, seen, ended, holders, atResources, handedOver, fences);
    }

    private static List<ForeignHolder> readHolders(DataInputStream in, boolean withAttempts) throws IOException {
        try {
            return Bytes.readHolders(in, withAttempts);
        } catch (IOException e) {
            throw new IOException("corrupt coordinator snapshot: " + e.getMessage(), e);
        }
    }

    private static void writeTransaction(GlobalTransaction tx, DataOutputStream out) throws IOException {
        out.writeLong(tx.transactionId());
        Bytes.writeString(out, tx.xid());
        Bytes.writeString(out, tx.applicationId());
        Bytes.writeString(out, tx.serviceGroup());
        Bytes.writeString(out, tx.name());
        out.writeInt(tx.timeoutMillis());
        out.writeLong(tx.beganAt());
        out.writeByte(tx.status().code());
        out.writeBoolean(tx.locksReleased());
        out.writeLong(tx.phaseTwoStartedAt());
        out.writeLong(tx.nextAttemptAt());
        out.writeInt(tx.attempts());
        out.writeBoolean(tx.retryStopped());
        out.writeInt(tx.branches().size());
        for (Branch b : tx.branches()) {
            out.writeLong(b.branchId());
            out.writeByte(b.type().code());
            Bytes.writeString(out, b.resourceId());
            Bytes.writeString(out, b.lockKey());
            Bytes.writeString(out, b.applicationData());
            Bytes.writeString(out, b.clientId());
            out.writeByte(b.status().code());
            out.writeInt(b.rowKeys().size());
            for (String row : b.rowKeys()) {
                Bytes.writeString(out, row);
            }
            out.writeInt(b.remoteFragments().size());
            for (int f : b.remoteFragments()) {
                out.writeInt(f);
            }
            Bytes.writeStrings(out, b.remoteRows());
        }
    }

    private static GlobalTransaction readTransaction(DataInputStream in, int version) throws IOException {
        long id = in.readLong();
        GlobalTransaction tx = new GlobalTransaction(
                id,
                Bytes.readString(in),
                Bytes.readString(in),
                Bytes.readString(in),
                Bytes.readString(in),
                in.readInt(),
                in.readLong());
        tx.status(GlobalStatus.fromCode(in.readUnsignedByte()));
        tx.locksReleased(in.readBoolean());
        tx.phaseTwoStartedAt(in.readLong());
        tx.nextAttemptAt(in.readLong());
        tx.attempts(in.readInt());
        if (version >= VERSION_WITHOUT_AT_RESOURCES) {
            tx.retryStopped(in.readBoolean());
        }
        int branches = in.readInt();
        for (int i = 0; i < branches; i++) {
            long branchId = in.readLong();
            BranchType type = BranchType.fromCode(in.readUnsignedByte());
            String resourceId = Bytes.readString(in);
            String lockKey = Bytes.readString(in);
            String data = Bytes.readString(in);
            String clientId = Bytes.readString(in);
            BranchStatus status = BranchStatus.fromCode(in.readUnsignedByte());
            int rows = Bytes.readCount(in);
            List<String> rowKeys = new ArrayList<>(Math.min(rows, 1024));
            for (int r = 0; r < rows; r++) {
                rowKeys.add(Bytes.readString(in));
            }
            List<Integer> remoteFragments = new ArrayList<>();
            List<String> remoteRows = List.of();
            if (version >= VERSION_WITHOUT_RETRY_STOP) {
                int n = Bytes.readCount(in);
                for (int f = 0; f < n; f++) {
                    remoteFragments.add(in.readInt());
                }
                remoteRows = Bytes.readStrings(in);
            }
            tx.putBranch(new Branch(
                    branchId, type, resourceId, lockKey, data, clientId, status, rowKeys, remoteFragments, remoteRows));
        }
        return tx;
    }
}
