package io.arbiter.core.view;

import io.arbiter.core.command.Bytes;
import io.arbiter.core.model.BranchType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of the console's filters and views, used inside command and result encodings. Strings as
 * {@link Bytes#writeString} (nullable), lists as {@code i32 count + elements}. Layouts never change; a new field
 * means a new command or result kind.
 */
public final class ViewCodec {
    private ViewCodec() {}

    public static void write(TransactionFilter f, DataOutputStream out) throws IOException {
        Bytes.writeString(out, f.xid());
        Bytes.writeString(out, f.applicationId());
        out.writeInt(f.status());
        Bytes.writeString(out, f.transactionName());
        out.writeLong(f.timeStart());
        out.writeLong(f.timeEnd());
        out.writeBoolean(f.withBranch());
    }

    public static TransactionFilter readTransactionFilter(DataInputStream in) throws IOException {
        return new TransactionFilter(
                Bytes.readString(in),
                Bytes.readString(in),
                in.readInt(),
                Bytes.readString(in),
                in.readLong(),
                in.readLong(),
                in.readBoolean());
    }

    public static void write(LockFilter f, DataOutputStream out) throws IOException {
        Bytes.writeString(out, f.xid());
        Bytes.writeString(out, f.transactionId());
        Bytes.writeString(out, f.branchId());
        Bytes.writeString(out, f.resourceId());
        Bytes.writeString(out, f.tableName());
        Bytes.writeString(out, f.pk());
        out.writeLong(f.timeStart());
        out.writeLong(f.timeEnd());
    }

    public static LockFilter readLockFilter(DataInputStream in) throws IOException {
        return new LockFilter(
                Bytes.readString(in),
                Bytes.readString(in),
                Bytes.readString(in),
                Bytes.readString(in),
                Bytes.readString(in),
                Bytes.readString(in),
                in.readLong(),
                in.readLong());
    }

    public static void writeTransactions(List<TransactionView> txs, DataOutputStream out) throws IOException {
        out.writeInt(txs.size());
        for (TransactionView t : txs) {
            Bytes.writeString(out, t.xid());
            out.writeLong(t.transactionId());
            out.writeInt(t.status());
            Bytes.writeString(out, t.applicationId());
            Bytes.writeString(out, t.serviceGroup());
            Bytes.writeString(out, t.name());
            out.writeInt(t.timeoutMillis());
            out.writeLong(t.beganAt());
            out.writeInt(t.branches().size());
            for (BranchView b : t.branches()) {
                out.writeLong(b.branchId());
                out.writeByte(b.type().code());
                Bytes.writeString(out, b.resourceId());
                out.writeInt(b.status());
                Bytes.writeString(out, b.clientId());
                Bytes.writeString(out, b.applicationData());
                Bytes.writeString(out, b.lockKey());
            }
        }
    }

    public static List<TransactionView> readTransactions(DataInputStream in) throws IOException {
        int n = Bytes.readCount(in);
        List<TransactionView> txs = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            String xid = Bytes.readString(in);
            long id = in.readLong();
            int status = in.readInt();
            String app = Bytes.readString(in);
            String group = Bytes.readString(in);
            String name = Bytes.readString(in);
            int timeout = in.readInt();
            long beganAt = in.readLong();
            int m = Bytes.readCount(in);
            List<BranchView> branches = new ArrayList<>(Math.min(m, 1024));
            for (int j = 0; j < m; j++) {
                branches.add(new BranchView(
                        in.readLong(),
                        BranchType.fromCode(in.readByte()),
                        Bytes.readString(in),
                        in.readInt(),
                        Bytes.readString(in),
                        Bytes.readString(in),
                        Bytes.readString(in)));
            }
            txs.add(new TransactionView(xid, id, status, app, group, name, timeout, beganAt, branches));
        }
        return txs;
    }

    public static void writeLocks(List<LockView> locks, DataOutputStream out) throws IOException {
        out.writeInt(locks.size());
        for (LockView l : locks) {
            Bytes.writeString(out, l.xid());
            out.writeLong(l.transactionId());
            out.writeLong(l.branchId());
            Bytes.writeString(out, l.rowKey());
            out.writeLong(l.beganAt());
        }
    }

    public static List<LockView> readLocks(DataInputStream in) throws IOException {
        int n = Bytes.readCount(in);
        List<LockView> locks = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            locks.add(LockView.of(
                    Bytes.readString(in), in.readLong(), in.readLong(), Bytes.readString(in), in.readLong()));
        }
        return locks;
    }

    public static void writeContention(List<ContendedTable> tables, List<ContendedRow> rows, DataOutputStream out)
            throws IOException {
        out.writeInt(tables.size());
        for (ContendedTable t : tables) {
            Bytes.writeString(out, t.resourceId());
            Bytes.writeString(out, t.tableName());
            out.writeLong(t.conflicts());
        }
        out.writeInt(rows.size());
        for (ContendedRow r : rows) {
            Bytes.writeString(out, r.rowKey());
            out.writeLong(r.conflicts());
            Bytes.writeString(out, r.holderXid());
            out.writeLong(r.heldSince());
        }
    }

    public static List<ContendedTable> readContendedTables(DataInputStream in) throws IOException {
        int n = Bytes.readCount(in);
        List<ContendedTable> tables = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            tables.add(new ContendedTable(Bytes.readString(in), Bytes.readString(in), in.readLong()));
        }
        return tables;
    }

    public static List<ContendedRow> readContendedRows(DataInputStream in) throws IOException {
        int n = Bytes.readCount(in);
        List<ContendedRow> rows = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            rows.add(new ContendedRow(Bytes.readString(in), in.readLong(), Bytes.readString(in), in.readLong()));
        }
        return rows;
    }
}
