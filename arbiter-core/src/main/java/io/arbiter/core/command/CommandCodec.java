package io.arbiter.core.command;

import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.view.ViewCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of proposals for the replicated log:
 * {@code u8 version, u8 hasRequestId, [i64 origin, i64 sequence], u8 kind, fields...}. Changing a layout means a
 * new version number; old versions stay readable. New commands get new kinds (an older node cannot read them).
 *
 * <p>A {@link Command.RegisterBranch} without remote rows is written as kind {@code REGISTER}, byte for byte as
 * before fragments; one with remote rows as kind {@code REGISTER_WITH_REMOTE}: the same fields, then
 * {@code i32 n, n × i32 remote fragment, i32 m, m × string remote row}; one whose remote rows were granted from a
 * lock leader's memory as kind {@code REGISTER_WITH_GRANTS}: those fields, then {@code n × i64 grant term}. A
 * {@link Command.LockBatch} is kind {@code LOCK_BATCH}, {@code i32 n}, then n acquires or releases, each as kind +
 * fields. Lists are {@code i32 count + elements}.
 */
public final class CommandCodec {
    private static final int VERSION = 1;
    private static final int BEGIN = 1,
            REGISTER = 2,
            REPORT_BRANCH = 3,
            COMMIT = 4,
            ROLLBACK = 5,
            REPORT_GLOBAL = 6,
            QUERY_STATUS = 7,
            QUERY_LOCK = 8,
            OUTCOME = 9,
            TICK = 10,
            RESUME = 11,
            ACQUIRE_LOCKS = 12,
            RELEASE_LOCKS = 13,
            QUERY_ALIVE = 14,
            LIST_FOREIGN_HOLDERS = 15,
            REGISTER_WITH_REMOTE = 16,
            STOP_RETRY = 17,
            START_RETRY = 18,
            RETRY_NOW = 19,
            DELETE_TRANSACTION = 20,
            DELETE_BRANCH = 21,
            DELETE_LOCK = 22,
            LIST_TRANSACTIONS = 23,
            LIST_LOCKS = 24,
            LIST_CONTENTION = 25,
            HAND_OVER_LOCKS = 26,
            ADOPT_LOCKS = 27,
            ACQUIRE_LOCKS_FOR_ATTEMPT = 28,
            RELEASE_LOCKS_OF_ATTEMPT = 29,
            FENCE_AND_LIST = 30,
            REBUILD_LOCKS = 31,
            REGISTER_WITH_GRANTS = 32,
            LOCK_BATCH = 33;

    private CommandCodec() {}

    /** A command without request id (not deduplicated). */
    public static byte[] encode(Command command) {
        return encode(new Proposal(null, command));
    }

    public static byte[] encode(Proposal proposal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(VERSION);
            RequestId id = proposal.requestId();
            out.writeBoolean(id != null);
            if (id != null) {
                out.writeLong(id.origin());
                out.writeLong(id.sequence());
            }
            write(proposal.command(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(Command command, DataOutputStream out) throws IOException {
        if (command instanceof Command.Begin c) {
            out.writeByte(BEGIN);
            Bytes.writeString(out, c.xidPrefix());
            Bytes.writeString(out, c.applicationId());
            Bytes.writeString(out, c.serviceGroup());
            Bytes.writeString(out, c.name());
            out.writeInt(c.timeoutMillis());
            out.writeLong(c.now());
        } else if (command instanceof Command.RegisterBranch c) {
            out.writeByte(
                    c.hasGrantTerms() ? REGISTER_WITH_GRANTS : c.hasRemoteRows() ? REGISTER_WITH_REMOTE : REGISTER);
            Bytes.writeString(out, c.xid());
            out.writeByte(c.type().code());
            Bytes.writeString(out, c.resourceId());
            Bytes.writeString(out, c.lockKey());
            Bytes.writeString(out, c.applicationData());
            Bytes.writeString(out, c.clientId());
            out.writeLong(c.now());
            if (c.hasRemoteRows()) {
                out.writeInt(c.remoteFragments().size());
                for (int f : c.remoteFragments()) {
                    out.writeInt(f);
                }
                Bytes.writeStrings(out, c.remoteRows());
                if (c.hasGrantTerms()) {
                    for (long term : c.grantTerms()) {
                        out.writeLong(term);
                    }
                }
            }
        } else if (command instanceof Command.AcquireLocks c) {
            // without an attempt: the form written before attempts were named
            out.writeByte(c.attempt() == 0 ? ACQUIRE_LOCKS : ACQUIRE_LOCKS_FOR_ATTEMPT);
            out.writeLong(c.transactionId());
            Bytes.writeString(out, c.xid());
            Bytes.writeString(out, c.resourceId());
            Bytes.writeStrings(out, c.rowKeys());
            out.writeLong(c.now());
            if (c.attempt() != 0) {
                out.writeLong(c.attempt());
            }
        } else if (command instanceof Command.ReleaseLocks c) {
            out.writeByte(c.attempt() == 0 ? RELEASE_LOCKS : RELEASE_LOCKS_OF_ATTEMPT);
            out.writeLong(c.transactionId());
            Bytes.writeStrings(out, c.rowKeys());
            if (c.attempt() != 0) {
                out.writeLong(c.attempt());
            }
        } else if (command instanceof Command.QueryAlive c) {
            out.writeByte(QUERY_ALIVE);
            out.writeInt(c.transactionIds().size());
            for (long id : c.transactionIds()) {
                out.writeLong(id);
            }
        } else if (command instanceof Command.ListForeignHolders c) {
            out.writeByte(LIST_FOREIGN_HOLDERS);
            out.writeLong(c.acquiredBefore());
        } else if (command instanceof Command.HandOverLocks) {
            out.writeByte(HAND_OVER_LOCKS);
        } else if (command instanceof Command.AdoptLocks c) {
            out.writeByte(ADOPT_LOCKS);
            Bytes.writeHolders(out, c.holders());
        } else if (command instanceof Command.FenceAndList c) {
            out.writeByte(FENCE_AND_LIST);
            out.writeInt(c.lockFragment());
            out.writeLong(c.term());
            Bytes.writeBytes(out, c.slots().toByteArray());
        } else if (command instanceof Command.LockBatch c) {
            out.writeByte(LOCK_BATCH);
            out.writeInt(c.commands().size());
            for (Command.LeaderLocks each : c.commands()) {
                write(each, out);
            }
        } else if (command instanceof Command.RebuildLocks c) {
            out.writeByte(REBUILD_LOCKS);
            out.writeLong(c.term());
            Bytes.writeHolders(out, c.holders());
        } else if (command instanceof Command.ReportBranch c) {
            out.writeByte(REPORT_BRANCH);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.branchId());
            out.writeByte(c.status().code());
            Bytes.writeString(out, c.applicationData());
        } else if (command instanceof Command.Commit c) {
            out.writeByte(COMMIT);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.now());
        } else if (command instanceof Command.Rollback c) {
            out.writeByte(ROLLBACK);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.now());
        } else if (command instanceof Command.ReportGlobal c) {
            out.writeByte(REPORT_GLOBAL);
            Bytes.writeString(out, c.xid());
            out.writeByte(c.status().code());
            out.writeLong(c.now());
        } else if (command instanceof Command.QueryStatus c) {
            out.writeByte(QUERY_STATUS);
            Bytes.writeString(out, c.xid());
        } else if (command instanceof Command.QueryLock c) {
            out.writeByte(QUERY_LOCK);
            Bytes.writeString(out, c.xid());
            Bytes.writeString(out, c.resourceId());
            Bytes.writeString(out, c.lockKey());
        } else if (command instanceof Command.BranchOutcome c) {
            out.writeByte(OUTCOME);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.branchId());
            out.writeBoolean(c.commit());
            out.writeByte(c.branchStatus() == null ? -1 : c.branchStatus().code());
            out.writeLong(c.now());
        } else if (command instanceof Command.Tick c) {
            out.writeByte(TICK);
            out.writeLong(c.now());
        } else if (command instanceof Command.Resume c) {
            out.writeByte(RESUME);
            out.writeLong(c.now());
        } else if (!writeOperatorCommand(command, out)) {
            throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /** The console's commands (kinds 17–25); false if {@code command} is none of them. */
    private static boolean writeOperatorCommand(Command command, DataOutputStream out) throws IOException {
        if (command instanceof Command.StopRetry c) {
            out.writeByte(STOP_RETRY);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.branchId());
        } else if (command instanceof Command.StartRetry c) {
            out.writeByte(START_RETRY);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.branchId());
            out.writeLong(c.now());
        } else if (command instanceof Command.RetryNow c) {
            out.writeByte(RETRY_NOW);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.now());
        } else if (command instanceof Command.DeleteTransaction c) {
            out.writeByte(DELETE_TRANSACTION);
            Bytes.writeString(out, c.xid());
            out.writeBoolean(c.force());
            out.writeLong(c.now());
        } else if (command instanceof Command.DeleteBranch c) {
            out.writeByte(DELETE_BRANCH);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.branchId());
            out.writeBoolean(c.force());
            out.writeLong(c.now());
        } else if (command instanceof Command.DeleteLock c) {
            out.writeByte(DELETE_LOCK);
            Bytes.writeString(out, c.xid());
            out.writeLong(c.branchId());
            Bytes.writeString(out, c.rowKey());
        } else if (command instanceof Command.ListTransactions c) {
            out.writeByte(LIST_TRANSACTIONS);
            ViewCodec.write(c.filter(), out);
            out.writeInt(c.limit());
        } else if (command instanceof Command.ListLocks c) {
            out.writeByte(LIST_LOCKS);
            ViewCodec.write(c.filter(), out);
            out.writeInt(c.limit());
        } else if (command instanceof Command.ListContention c) {
            out.writeByte(LIST_CONTENTION);
            out.writeInt(c.limit());
        } else {
            return false;
        }
        return true;
    }

    /** @throws IllegalArgumentException if the bytes are not a command of a known version */
    public static Proposal decode(byte[] bytes) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported command version " + version);
            }
            RequestId id = in.readBoolean() ? new RequestId(in.readLong(), in.readLong()) : null;
            return new Proposal(id, read(in.readUnsignedByte(), in));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated command", e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // a value no writer produces (a missing field, an unknown enum code...)
            throw new IllegalArgumentException("malformed command: " + e, e);
        }
    }

    /** A lock batch: {@code i32 count}, then each command as kind + fields (AcquireLocks and ReleaseLocks only). */
    private static Command.LockBatch readLockBatch(DataInputStream in) throws IOException {
        int n = Bytes.readCount(in);
        List<Command.LeaderLocks> commands = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            int kind = in.readUnsignedByte();
            if (kind != ACQUIRE_LOCKS
                    && kind != ACQUIRE_LOCKS_FOR_ATTEMPT
                    && kind != RELEASE_LOCKS
                    && kind != RELEASE_LOCKS_OF_ATTEMPT) {
                throw new IllegalArgumentException("a lock batch holds acquires and releases only, not kind " + kind);
            }
            commands.add((Command.LeaderLocks) read(kind, in));
        }
        return new Command.LockBatch(commands);
    }

    private static Command read(int kind, DataInputStream in) throws IOException {
        return switch (kind) {
            case BEGIN ->
                new Command.Begin(
                        Bytes.readString(in),
                        Bytes.readString(in),
                        Bytes.readString(in),
                        Bytes.readString(in),
                        in.readInt(),
                        in.readLong());
            case REGISTER -> readRegister(in, false, false);
            case REGISTER_WITH_REMOTE -> readRegister(in, true, false);
            case REGISTER_WITH_GRANTS -> readRegister(in, true, true);
            case FENCE_AND_LIST ->
                new Command.FenceAndList(in.readInt(), in.readLong(), java.util.BitSet.valueOf(Bytes.readBytes(in)));
            case REBUILD_LOCKS -> new Command.RebuildLocks(in.readLong(), Bytes.readHolders(in, true));
            case LOCK_BATCH -> readLockBatch(in);
            case ACQUIRE_LOCKS, ACQUIRE_LOCKS_FOR_ATTEMPT ->
                new Command.AcquireLocks(
                        in.readLong(),
                        Bytes.readString(in),
                        Bytes.readString(in),
                        Bytes.readStrings(in),
                        in.readLong(),
                        kind == ACQUIRE_LOCKS ? 0 : in.readLong());
            case RELEASE_LOCKS -> new Command.ReleaseLocks(in.readLong(), Bytes.readStrings(in));
            case RELEASE_LOCKS_OF_ATTEMPT ->
                new Command.ReleaseLocks(in.readLong(), Bytes.readStrings(in), in.readLong());
            case QUERY_ALIVE -> {
                int n = Bytes.readCount(in);
                List<Long> ids = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    ids.add(in.readLong());
                }
                yield new Command.QueryAlive(ids);
            }
            case LIST_FOREIGN_HOLDERS -> new Command.ListForeignHolders(in.readLong());
            case HAND_OVER_LOCKS -> new Command.HandOverLocks();
            case ADOPT_LOCKS -> new Command.AdoptLocks(Bytes.readHolders(in, true));
            case REPORT_BRANCH ->
                new Command.ReportBranch(
                        Bytes.readString(in),
                        in.readLong(),
                        BranchStatus.fromCode(in.readByte()),
                        Bytes.readString(in));
            case COMMIT -> new Command.Commit(Bytes.readString(in), in.readLong());
            case ROLLBACK -> new Command.Rollback(Bytes.readString(in), in.readLong());
            case REPORT_GLOBAL ->
                new Command.ReportGlobal(Bytes.readString(in), GlobalStatus.fromCode(in.readByte()), in.readLong());
            case QUERY_STATUS -> new Command.QueryStatus(Bytes.readString(in));
            case QUERY_LOCK -> new Command.QueryLock(Bytes.readString(in), Bytes.readString(in), Bytes.readString(in));
            case OUTCOME -> {
                String xid = Bytes.readString(in);
                long branchId = in.readLong();
                boolean commit = in.readBoolean();
                byte status = in.readByte();
                yield new Command.BranchOutcome(
                        xid, branchId, commit, status < 0 ? null : BranchStatus.fromCode(status), in.readLong());
            }
            case TICK -> new Command.Tick(in.readLong());
            case RESUME -> new Command.Resume(in.readLong());
            case STOP_RETRY -> new Command.StopRetry(Bytes.readString(in), in.readLong());
            case START_RETRY -> new Command.StartRetry(Bytes.readString(in), in.readLong(), in.readLong());
            case RETRY_NOW -> new Command.RetryNow(Bytes.readString(in), in.readLong());
            case DELETE_TRANSACTION ->
                new Command.DeleteTransaction(Bytes.readString(in), in.readBoolean(), in.readLong());
            case DELETE_BRANCH ->
                new Command.DeleteBranch(Bytes.readString(in), in.readLong(), in.readBoolean(), in.readLong());
            case DELETE_LOCK -> new Command.DeleteLock(Bytes.readString(in), in.readLong(), Bytes.readString(in));
            case LIST_TRANSACTIONS -> new Command.ListTransactions(ViewCodec.readTransactionFilter(in), in.readInt());
            case LIST_LOCKS -> new Command.ListLocks(ViewCodec.readLockFilter(in), in.readInt());
            case LIST_CONTENTION -> new Command.ListContention(in.readInt());
            default -> throw new IllegalArgumentException("unknown command kind " + kind);
        };
    }

    private static Command.RegisterBranch readRegister(DataInputStream in, boolean withRemote, boolean withGrants)
            throws IOException {
        String xid = Bytes.readString(in);
        BranchType type = BranchType.fromCode(in.readByte());
        String resourceId = Bytes.readString(in);
        String lockKey = Bytes.readString(in);
        String applicationData = Bytes.readString(in);
        String clientId = Bytes.readString(in);
        long now = in.readLong();
        if (!withRemote) {
            return new Command.RegisterBranch(xid, type, resourceId, lockKey, applicationData, clientId, now);
        }
        int n = Bytes.readCount(in);
        List<Integer> fragments = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            fragments.add(in.readInt());
        }
        List<String> rows = Bytes.readStrings(in);
        List<Long> grants = new ArrayList<>();
        for (int i = 0; withGrants && i < n; i++) {
            grants.add(in.readLong());
        }
        return new Command.RegisterBranch(
                xid, type, resourceId, lockKey, applicationData, clientId, now, fragments, rows, grants);
    }
}
