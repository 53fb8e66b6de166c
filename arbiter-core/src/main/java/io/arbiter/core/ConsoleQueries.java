package io.arbiter.core;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Result;
import io.arbiter.core.view.BranchView;
import io.arbiter.core.view.ContendedRow;
import io.arbiter.core.view.LockFilter;
import io.arbiter.core.view.LockView;
import io.arbiter.core.view.TransactionFilter;
import io.arbiter.core.view.TransactionView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The console's reads of one fragment: transactions, the row locks they hold, contended rows. Read only. */
final class ConsoleQueries {
    /** Oldest first: by begin time, then id (ids are unique). */
    static final Comparator<GlobalTransaction> OLDEST_FIRST =
            Comparator.comparingLong(GlobalTransaction::beganAt).thenComparingLong(GlobalTransaction::transactionId);

    /**
     * Upper bound of the text in one answer (about this many bytes, at most three times as many in UTF-8), so that it
     * fits a peer frame (8 MiB). An answer that would be longer carries fewer items than asked for, and its total.
     */
    static final int MAX_ANSWER_CHARS = 2_000_000;

    private final CoordinatorState state;
    private final LockCommands locks;

    ConsoleQueries(CoordinatorState state, LockCommands locks) {
        this.state = state;
        this.locks = locks;
    }

    Result transactions(Command.ListTransactions c) {
        TransactionFilter f = c.filter();
        List<GlobalTransaction> matching = new ArrayList<>();
        for (GlobalTransaction tx : state.transactions()) {
            if (f.matches(tx.xid(), tx.applicationId(), tx.reportedStatusCode(), tx.name(), tx.beganAt())) {
                matching.add(tx);
            }
        }
        matching.sort(OLDEST_FIRST);
        List<TransactionView> views = new ArrayList<>();
        long chars = 0;
        for (GlobalTransaction tx : matching.subList(0, Math.min(Math.max(0, c.limit()), matching.size()))) {
            TransactionView view = view(tx, f.withBranch());
            chars += size(view);
            if (chars > MAX_ANSWER_CHARS) {
                break;
            }
            views.add(view);
        }
        return new Result.Transactions(matching.size(), views);
    }

    /** About the characters a view takes in an answer. */
    private static long size(TransactionView v) {
        long n = 64 + length(v.xid()) + length(v.applicationId()) + length(v.serviceGroup()) + length(v.name());
        for (BranchView b : v.branches()) {
            n += 48 + length(b.resourceId()) + length(b.clientId()) + length(b.applicationData()) + length(b.lockKey());
        }
        return n;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    static TransactionView view(GlobalTransaction tx, boolean withBranches) {
        List<BranchView> branches = new ArrayList<>();
        if (withBranches) {
            for (Branch b : tx.branches()) {
                branches.add(new BranchView(
                        b.branchId(),
                        b.type(),
                        b.resourceId(),
                        b.status().code(),
                        b.clientId(),
                        b.applicationData(),
                        b.lockKey()));
            }
        }
        return new TransactionView(
                tx.xid(),
                tx.transactionId(),
                tx.reportedStatusCode(),
                tx.applicationId(),
                tx.serviceGroup(),
                tx.name(),
                tx.timeoutMillis(),
                tx.beganAt(),
                branches);
    }

    Result locks(Command.ListLocks c) {
        LockFilter f = c.filter();
        List<GlobalTransaction> holders = new ArrayList<>();
        for (GlobalTransaction tx : state.transactions()) {
            if (!tx.locksReleased()) {
                holders.add(tx);
            }
        }
        holders.sort(OLDEST_FIRST);
        int total = 0;
        long chars = 0;
        int limit = Math.max(0, c.limit());
        List<LockView> page = new ArrayList<>();
        for (GlobalTransaction tx : holders) {
            for (Branch b : tx.branches()) {
                for (List<String> rows : List.of(b.rowKeys(), b.remoteRows())) {
                    for (String row : rows) {
                        LockView lock = LockView.of(tx.xid(), tx.transactionId(), b.branchId(), row, tx.beganAt());
                        if (f.matches(lock)) {
                            total++;
                            chars += lock.xid().length() + 2L * row.length() + 64;
                            if (page.size() < limit && chars <= MAX_ANSWER_CHARS) {
                                page.add(lock);
                            }
                        }
                    }
                }
            }
        }
        return new Result.Locks(total, page);
    }

    Result contention(Command.ListContention c) {
        List<ContendedRow> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : locks.conflicts().top(c.limit())) {
            long holder = state.locks().holder(e.getKey());
            String xid = holder == 0 ? null : locks.xidOf(holder);
            rows.add(new ContendedRow(e.getKey(), e.getValue(), xid, holder == 0 ? 0 : heldSince(holder)));
        }
        return new Result.Contention(locks.conflicts().tables(), rows);
    }

    /** When a holder took its rows: a foreign holder's latest acquisition, a local transaction's begin. */
    private long heldSince(long holder) {
        GlobalTransaction local = state.peek(holder);
        if (local != null) {
            return local.beganAt();
        }
        ForeignHolder foreign = state.locks().foreignHolder(holder);
        return foreign == null ? 0 : foreign.lastAcquiredAt();
    }
}
