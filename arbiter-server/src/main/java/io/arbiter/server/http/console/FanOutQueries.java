package io.arbiter.server.http.console;

import io.arbiter.core.command.Command;
import io.arbiter.core.result.Result;
import io.arbiter.core.view.ContendedRow;
import io.arbiter.core.view.ContendedTable;
import io.arbiter.core.view.LockFilter;
import io.arbiter.core.view.LockView;
import io.arbiter.core.view.TransactionFilter;
import io.arbiter.core.view.TransactionView;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.http.metadata.ApiException;
import io.arbiter.server.routing.FragmentCommands;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The console's reads over the whole cluster: the read command runs on every fragment's leader (here or on a peer,
 * retried across elections for up to {@link #READ_TIMEOUT}), and the answers are merged: transactions and locks
 * oldest first with the first {@code window} kept and the totals added, contention counts added per table and row.
 *
 * <p>Threading: thread-safe; futures complete on replication or event-loop threads.
 */
final class FanOutQueries {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final Comparator<TransactionView> TX_ORDER =
            Comparator.comparingLong(TransactionView::beganAt).thenComparingLong(TransactionView::transactionId);
    private static final Comparator<LockView> LOCK_ORDER = Comparator.comparingLong(LockView::beganAt)
            .thenComparingLong(LockView::transactionId)
            .thenComparingLong(LockView::branchId)
            .thenComparing(LockView::rowKey);

    private final Fragments fragments;
    private final FragmentCommands commands;

    FanOutQueries(Fragments fragments, FragmentCommands commands) {
        this.fragments = fragments;
        this.commands = commands;
    }

    record Page<T>(int total, List<T> items) {}

    CompletableFuture<Page<TransactionView>> transactions(TransactionFilter filter, int window) {
        return all(new Command.ListTransactions(filter, window), Result.Transactions.class)
                .thenApply(answers -> {
                    int total = 0;
                    List<TransactionView> merged = new ArrayList<>();
                    for (Result.Transactions a : answers) {
                        total += a.total();
                        merged.addAll(a.transactions());
                        checkComplete(a.transactions().size(), a.total(), window);
                    }
                    merged.sort(TX_ORDER);
                    return new Page<>(total, merged.subList(0, Math.min(window, merged.size())));
                });
    }

    /** The transactions of one fragment matching {@code filter} (an XID names its fragment). */
    CompletableFuture<List<TransactionView>> transactionsIn(int fragmentId, TransactionFilter filter, int limit) {
        return commands.submit(fragmentId, null, new Command.ListTransactions(filter, limit), READ_TIMEOUT)
                .thenApply(r -> expect(r, Result.Transactions.class).transactions());
    }

    CompletableFuture<Page<LockView>> locks(LockFilter filter, int window) {
        return all(new Command.ListLocks(filter, window), Result.Locks.class).thenApply(answers -> {
            int total = 0;
            List<LockView> merged = new ArrayList<>();
            for (Result.Locks a : answers) {
                total += a.total();
                merged.addAll(a.locks());
                checkComplete(a.locks().size(), a.total(), window);
            }
            merged.sort(LOCK_ORDER);
            return new Page<>(total, merged.subList(0, Math.min(window, merged.size())));
        });
    }

    record Contention(List<ContendedTable> tables, List<ContendedRow> rows) {}

    CompletableFuture<Contention> contention(int limit) {
        return all(new Command.ListContention(limit), Result.Contention.class).thenApply(answers -> {
            Map<String, ContendedTable> tables = new LinkedHashMap<>();
            Map<String, ContendedRow> rows = new LinkedHashMap<>();
            for (Result.Contention a : answers) {
                for (ContendedTable t : a.tables()) {
                    tables.merge(
                            t.resourceId() + "^^^" + t.tableName(),
                            t,
                            (x, y) -> new ContendedTable(x.resourceId(), x.tableName(), x.conflicts() + y.conflicts()));
                }
                for (ContendedRow r : a.rows()) {
                    rows.merge(
                            r.rowKey(),
                            r,
                            (x, y) -> new ContendedRow(
                                    x.rowKey(),
                                    x.conflicts() + y.conflicts(),
                                    x.holderXid() != null ? x.holderXid() : y.holderXid(),
                                    x.holderXid() != null ? x.heldSince() : y.heldSince()));
                }
            }
            List<ContendedTable> t = new ArrayList<>(tables.values());
            t.sort(Comparator.comparingLong(ContendedTable::conflicts).reversed());
            List<ContendedRow> r = new ArrayList<>(rows.values());
            r.sort(Comparator.comparingLong(ContendedRow::conflicts).reversed().thenComparing(ContendedRow::rowKey));
            return new Contention(t, r.subList(0, Math.min(limit, r.size())));
        });
    }

    /** Runs a read in every fragment of the map; fails if any fragment does not answer in time. */
    private <R extends Result> CompletableFuture<List<R>> all(Command read, Class<R> type) {
        List<CompletableFuture<R>> answers = new ArrayList<>();
        for (ClusterMap.FragmentInfo f : fragments.map().fragments()) {
            answers.add(commands.submit(f.id(), null, read, READ_TIMEOUT).thenApply(r -> expect(r, type)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(
                        ignored -> answers.stream().map(CompletableFuture::join).toList());
    }

    /** A fragment that answered fewer items than the window asks for, though it has them: its answer was too long. */
    private static void checkComplete(int items, int total, int window) {
        if (items < Math.min(window, total)) {
            throw new ApiException(
                    HttpResponseStatus.BAD_REQUEST,
                    "the page window is too large for one answer "
                            + "(pageNum × pageSize items, about 2 MB per fragment): ask for smaller pages or narrow the filters");
        }
    }

    private static <R extends Result> R expect(Result r, Class<R> type) {
        if (!type.isInstance(r)) {
            throw new IllegalStateException("a fragment answered " + r + " to a console read");
        }
        return type.cast(r);
    }
}
