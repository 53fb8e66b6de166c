package io.arbiter.core.result;

import io.arbiter.core.command.Bytes;
import io.arbiter.core.model.ErrorCode;
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
 * Binary form of a {@link Result}, so that results can travel between nodes: {@code u8 kind, fields...}; lists are
 * {@code i32 count + elements}. New results get new kinds; existing layouts never change. A {@link Result.Batch} is
 * {@code i32 count}, then each result in this same form.
 */
public final class ResultCodec {
    private static final int BEGAN = 1,
            REGISTERED = 2,
            STATUS = 3,
            LOCKABLE = 4,
            DONE = 5,
            REJECTED = 6,
            LOCKS_TAKEN = 7,
            LIVENESS = 8,
            HOLDERS = 9,
            TRANSACTIONS = 10,
            LOCKS = 11,
            CONTENTION = 12,
            FOREIGN_LOCKS = 13,
            LOCKS_GRANTED = 14,
            BATCH = 15;

    private ResultCodec() {}

    public static byte[] encode(Result result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            write(result, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(Result result, DataOutputStream out) throws IOException {
        if (result instanceof Result.Began r) {
            out.writeByte(BEGAN);
            Bytes.writeString(out, r.xid());
        } else if (result instanceof Result.BranchRegistered r) {
            out.writeByte(REGISTERED);
            out.writeLong(r.branchId());
        } else if (result instanceof Result.Status r) {
            out.writeByte(STATUS);
            out.writeByte(r.status().code());
            out.writeBoolean(r.awaitOutcome());
        } else if (result instanceof Result.Lockable r) {
            out.writeByte(LOCKABLE);
            out.writeBoolean(r.lockable());
        } else if (result instanceof Result.Done) {
            out.writeByte(DONE);
        } else if (result instanceof Result.Rejected r) {
            out.writeByte(REJECTED);
            out.writeByte(r.code().ordinal());
            Bytes.writeString(out, r.message());
            out.writeByte(r.status() == null ? -1 : r.status().code());
        } else if (result instanceof Result.LocksTaken r) {
            out.writeByte(r.grantTerm() == 0 ? LOCKS_TAKEN : LOCKS_GRANTED);
            Bytes.writeStrings(out, r.rows());
            if (r.grantTerm() != 0) {
                out.writeLong(r.grantTerm());
            }
        } else if (result instanceof Result.Liveness r) {
            out.writeByte(LIVENESS);
            writeLongs(out, r.ended());
        } else if (result instanceof Result.Holders r) {
            out.writeByte(HOLDERS);
            writeLongs(out, r.transactionIds());
        } else if (result instanceof Result.ForeignLocks r) {
            out.writeByte(FOREIGN_LOCKS);
            Bytes.writeHolders(out, r.holders());
        } else if (result instanceof Result.Transactions r) {
            out.writeByte(TRANSACTIONS);
            out.writeInt(r.total());
            ViewCodec.writeTransactions(r.transactions(), out);
        } else if (result instanceof Result.Locks r) {
            out.writeByte(LOCKS);
            out.writeInt(r.total());
            ViewCodec.writeLocks(r.locks(), out);
        } else if (result instanceof Result.Contention r) {
            out.writeByte(CONTENTION);
            ViewCodec.writeContention(r.tables(), r.rows(), out);
        } else if (result instanceof Result.Batch r) {
            out.writeByte(BATCH);
            out.writeInt(r.results().size());
            for (Result each : r.results()) {
                write(each, out);
            }
        } else {
            throw new IllegalArgumentException("unknown result " + result);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a result */
    public static Result decode(byte[] bytes) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            return read(in);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) { // truncated, or a value no writer produces (a missing field...)
            throw new IllegalArgumentException("malformed result: " + e, e);
        }
    }

    private static Result read(DataInputStream in) throws IOException {
        int kind = in.readUnsignedByte();
        return switch (kind) {
            case BEGAN -> new Result.Began(Bytes.readString(in));
            case REGISTERED -> new Result.BranchRegistered(in.readLong());
            case STATUS -> new Result.Status(GlobalStatus.fromCode(in.readUnsignedByte()), in.readBoolean());
            case LOCKABLE -> new Result.Lockable(in.readBoolean());
            case DONE -> Result.Done.INSTANCE;
            case REJECTED -> {
                ErrorCode code = ErrorCode.values()[in.readUnsignedByte()];
                String message = Bytes.readString(in);
                byte status = in.readByte();
                yield new Result.Rejected(code, message, status < 0 ? null : GlobalStatus.fromCode(status));
            }
            case LOCKS_TAKEN -> new Result.LocksTaken(Bytes.readStrings(in));
            case LOCKS_GRANTED -> new Result.LocksTaken(Bytes.readStrings(in), in.readLong());
            case LIVENESS -> new Result.Liveness(readLongs(in));
            case HOLDERS -> new Result.Holders(readLongs(in));
            case FOREIGN_LOCKS -> new Result.ForeignLocks(Bytes.readHolders(in, true));
            case TRANSACTIONS -> new Result.Transactions(in.readInt(), ViewCodec.readTransactions(in));
            case LOCKS -> new Result.Locks(in.readInt(), ViewCodec.readLocks(in));
            case CONTENTION ->
                new Result.Contention(ViewCodec.readContendedTables(in), ViewCodec.readContendedRows(in));
            case BATCH -> readBatch(in);
            default -> throw new IllegalArgumentException("unknown result kind " + kind);
        };
    }

    private static Result.Batch readBatch(DataInputStream in) throws IOException {
        int n = Bytes.readCount(in);
        List<Result> results = new java.util.ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            results.add(read(in));
        }
        return new Result.Batch(results);
    }

    private static void writeLongs(DataOutputStream out, List<Long> values) throws IOException {
        out.writeInt(values.size());
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static List<Long> readLongs(DataInputStream in) throws IOException {
        int n = Bytes.readCount(in);
        List<Long> values = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            values.add(in.readLong());
        }
        return values;
    }
}
