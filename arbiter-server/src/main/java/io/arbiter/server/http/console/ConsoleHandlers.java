package io.arbiter.server.http.console;

import io.arbiter.core.command.Command;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Result;
import io.arbiter.core.view.ContendedRow;
import io.arbiter.core.view.LockView;
import io.arbiter.core.view.TransactionFilter;
import io.arbiter.server.http.metadata.Exchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * What each console path does: parameters checked, then a fan-out read or an operation, answered in Seata's shapes.
 *
 * <p>Threading: called on the event loop; never blocks.
 */
final class ConsoleHandlers {
    private final FanOutQueries queries;
    private final ConsoleOperations operations;
    private final LongSupplier clock;

    ConsoleHandlers(FanOutQueries queries, ConsoleOperations operations, LongSupplier clock) {
        this.queries = queries;
        this.operations = operations;
        this.clock = clock;
    }

    void querySessions(Exchange exchange, ConsoleParams params, String user) {
        ConsoleParams.Paging paging = params.paging();
        TransactionFilter filter = params.transactionFilter();
        ConsoleHttpApi.answer(
                exchange,
                queries.transactions(filter, paging.window())
                        .thenApply(page -> SeataShapes.PageResult.of(
                                slice(page.items(), paging).stream()
                                        .map(t -> SeataShapes.GlobalSessionVO.of(t, filter.withBranch()))
                                        .toList(),
                                page.total(),
                                paging.pageNum(),
                                paging.pageSize())));
    }

    void queryLocks(Exchange exchange, ConsoleParams params, String user) {
        ConsoleParams.Paging paging = params.paging();
        ConsoleHttpApi.answer(
                exchange,
                queries.locks(params.lockFilter(), paging.window())
                        .thenApply(page -> SeataShapes.PageResult.of(
                                slice(page.items(), paging).stream()
                                        .map(SeataShapes.GlobalLockVO::of)
                                        .toList(),
                                page.total(),
                                paging.pageNum(),
                                paging.pageSize())));
    }

    void checkLock(Exchange exchange, ConsoleParams params, String user) {
        String xid = params.xid();
        long branchId = params.branchId();
        ConsoleHttpApi.answer(exchange, operations.hasBranch(xid, branchId).thenApply(SeataShapes.SingleResult::ok));
    }

    void contended(Exchange exchange, ConsoleParams params, String user) {
        int limit = params.optionalInt("limit", 20, 1_000);
        long now = clock.getAsLong();
        ConsoleHttpApi.answer(exchange, queries.contention(limit).thenApply(c -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("tables", c.tables());
            data.put("rows", c.rows().stream().map(r -> row(r, now)).toList());
            return SeataShapes.SingleResult.ok(data);
        }));
    }

    private static Map<String, Object> row(ContendedRow r, long now) {
        String[] parts = LockView.split(r.rowKey());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("resourceId", parts[0]);
        row.put("tableName", parts[1]);
        row.put("pk", parts[2]);
        row.put("rowKey", r.rowKey());
        row.put("conflicts", r.conflicts());
        row.put("holderXid", r.holderXid());
        row.put("heldSince", r.holderXid() == null ? null : r.heldSince());
        row.put("heldForMillis", r.holderXid() == null ? null : Math.max(0, now - r.heldSince()));
        return row;
    }

    void deleteGlobal(Exchange exchange, ConsoleParams params, String user) {
        String xid = params.xid();
        operate(
                exchange,
                operations.run(
                        user,
                        "delete global session",
                        xid,
                        new Command.DeleteTransaction(xid, false, operations.now())));
    }

    void forceDeleteGlobal(Exchange exchange, ConsoleParams params, String user) {
        String xid = params.xid();
        operate(
                exchange,
                operations.run(
                        user,
                        "force-delete global session",
                        xid,
                        new Command.DeleteTransaction(xid, true, operations.now())));
    }

    void stopGlobal(Exchange exchange, ConsoleParams params, String user) {
        String xid = params.xid();
        operate(exchange, operations.run(user, "stop global retry", xid, new Command.StopRetry(xid, 0)));
    }

    void startGlobal(Exchange exchange, ConsoleParams params, String user) {
        String xid = params.xid();
        operate(
                exchange,
                operations.run(user, "start global retry", xid, new Command.StartRetry(xid, 0, operations.now())));
    }

    /** Arbiter's: commits a live transaction as its TM would; the answer's data is its status then. */
    void commitGlobal(Exchange exchange, ConsoleParams params, String user) {
        end(exchange, params.xid(), user, true);
    }

    /** Arbiter's: rolls a live transaction back as its TM would; the answer's data is its status then. */
    void rollbackGlobal(Exchange exchange, ConsoleParams params, String user) {
        end(exchange, params.xid(), user, false);
    }

    private void end(Exchange exchange, String xid, String user, boolean commit) {
        ConsoleHttpApi.answer(
                exchange,
                operations
                        .end(user, xid, commit)
                        .thenApply(result -> result instanceof Result.Status status
                                ? SeataShapes.SingleResult.ok(status.status().name())
                                : SeataShapes.SingleResult.failure(
                                        result instanceof Result.Rejected r
                                                ? r.message()
                                                : "unexpected answer " + result)));
    }

    void sendCommitOrRollback(Exchange exchange, ConsoleParams params, String user) {
        String xid = params.xid();
        operate(
                exchange,
                operations.run(user, "send commit or rollback", xid, new Command.RetryNow(xid, operations.now())));
    }

    /**
     * Seata turns a failed final status (CommitFailed, CommitRetryTimeout, RollbackFailed, RollbackRetryTimeout,
     * TimeoutRollbacked) back into retrying. Arbiter ends a transaction at any final status, so no live transaction
     * is ever in one: the answer is Seata's refusal for the status found (or "not exist").
     */
    void changeGlobalStatus(Exchange exchange, ConsoleParams params, String user) {
        String xid = params.xid();
        operate(
                exchange,
                operations
                        .transaction(xid)
                        .thenApply(tx -> Optional.of(
                                tx.isEmpty()
                                        ? "Global session is not exist, may be finished"
                                        : "current global transaction status is not support to change (status "
                                                + statusName(tx.get().status())
                                                + "; Arbiter keeps no transaction in a failed final status)")));
    }

    void deleteBranch(Exchange exchange, ConsoleParams params, String user) {
        branchOperation(exchange, params, user, "delete branch session", false, Kind.DELETE);
    }

    void forceDeleteBranch(Exchange exchange, ConsoleParams params, String user) {
        branchOperation(exchange, params, user, "force-delete branch session", true, Kind.DELETE);
    }

    void stopBranch(Exchange exchange, ConsoleParams params, String user) {
        branchOperation(exchange, params, user, "stop branch retry", false, Kind.STOP);
    }

    void startBranch(Exchange exchange, ConsoleParams params, String user) {
        branchOperation(exchange, params, user, "start branch retry", false, Kind.START);
    }

    private enum Kind {
        DELETE,
        STOP,
        START
    }

    private void branchOperation(
            Exchange exchange, ConsoleParams params, String user, String what, boolean force, Kind kind) {
        String xid = params.xid();
        long branchId = params.branchId();
        long now = operations.now();
        Command command = switch (kind) {
            case DELETE -> new Command.DeleteBranch(xid, branchId, force, now);
            case STOP -> new Command.StopRetry(xid, branchId);
            case START -> new Command.StartRetry(xid, branchId, now);
        };
        operate(exchange, operations.run(user, what + " " + branchId, xid, command));
    }

    void deleteLock(Exchange exchange, ConsoleParams params, String user) {
        String xid = params.xid();
        long branchId = params.branchId();
        String rowKey =
                LockView.rowKey(params.required("resourceId"), params.required("tableName"), params.required("pk"));
        operate(exchange, operations.deleteLock(user, xid, branchId, rowKey));
    }

    private static void operate(Exchange exchange, CompletableFuture<Optional<String>> outcome) {
        ConsoleHttpApi.answer(
                exchange,
                outcome.thenApply(refused -> refused.map(SeataShapes.SingleResult::failure)
                        .orElseGet(() -> SeataShapes.SingleResult.ok(null))));
    }

    private static <T> List<T> slice(List<T> window, ConsoleParams.Paging paging) {
        int from = Math.min(window.size(), (paging.pageNum() - 1) * paging.pageSize());
        return window.subList(from, Math.min(window.size(), from + paging.pageSize()));
    }

    private static String statusName(int code) {
        if (code == GlobalStatus.STOP_COMMIT_RETRY_CODE) {
            return "StopCommitOrCommitRetry";
        }
        if (code == GlobalStatus.STOP_ROLLBACK_RETRY_CODE) {
            return "StopRollbackOrRollbackRetry";
        }
        return GlobalStatus.fromCode(code).name();
    }
}
