package io.arbiter.server.http.console;

import io.arbiter.core.Xids;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.result.Result;
import io.arbiter.core.view.TransactionFilter;
import io.arbiter.core.view.TransactionView;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.FragmentCommands;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' actions, each a core command proposed to the leader of the transaction's fragment with a request id
 * (applied at most once however often it is retried across elections), and logged with the user. Completes with
 * empty on success or the refusal's reason.
 *
 * <p>Threading: thread-safe; futures complete on replication or event-loop threads.
 */
final class ConsoleOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleOperations.class);
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(10);

    private final Fragments fragments;
    private final FragmentCommands commands;
    private final LongSupplier clock;
    private final long origin = new SecureRandom().nextLong();
    private final AtomicLong sequence = new AtomicLong();

    ConsoleOperations(Fragments fragments, FragmentCommands commands, LongSupplier clock) {
        this.fragments = fragments;
        this.commands = commands;
        this.clock = clock;
    }

    /** The fragment holding an XID's transaction, or -1 if none does. */
    int fragmentOf(String xid) {
        return fragments.fragmentOfTransaction(Xids.transactionId(xid));
    }

    /** What an operation answers: empty when it was applied, else the reason it was refused. */
    CompletableFuture<Optional<String>> run(String user, String what, String xid, Command command) {
        int fragment = fragmentOf(xid);
        if (fragment < 0) {
            return CompletableFuture.completedFuture(Optional.of("Global session is not exist, may be finished"));
        }
        return submit(user, what, fragment, command);
    }

    long now() {
        return clock.getAsLong();
    }

    /**
     * Ends a live transaction on its TM's behalf ({@link Command.Commit} or {@link Command.Rollback}, as a TM's
     * request would): completes with the status it then has (its phase two goes on as usual), or a refusal.
     */
    CompletableFuture<Result> end(String user, String xid, boolean commit) {
        int fragment = fragmentOf(xid);
        if (fragment < 0) {
            return CompletableFuture.completedFuture(new Result.Rejected(
                    io.arbiter.core.model.ErrorCode.GlobalTransactionNotExist,
                    "Global session is not exist, may be finished",
                    null));
        }
        Command command = commit ? new Command.Commit(xid, now()) : new Command.Rollback(xid, now());
        RequestId id = new RequestId(origin, sequence.incrementAndGet());
        return commands.submit(fragment, id, command, OPERATION_TIMEOUT)
                .whenComplete((result, error) -> LOG.info(
                        "console: user '{}' asked to {} {}: {}",
                        user,
                        commit ? "commit" : "roll back",
                        xid,
                        error != null ? "not confirmed: " + error : result));
    }

    /**
     * Deletes a row lock: in the fragment owning its slot (where it is locked) and in the transaction's fragment (which
     * remembers it on the branch), one after the other.
     */
    CompletableFuture<Optional<String>> deleteLock(String user, String xid, long branchId, String rowKey) {
        List<Integer> targets = new ArrayList<>();
        int owner = fragments.slots().ownerOf(rowKey);
        targets.add(owner);
        int home = fragmentOf(xid);
        if (home >= 0 && home != owner) {
            targets.add(home);
        }
        Command command = new Command.DeleteLock(xid, branchId, rowKey);
        CompletableFuture<Optional<String>> chain = CompletableFuture.completedFuture(Optional.empty());
        for (int f : targets) {
            chain = chain.thenCompose(refused -> refused.isPresent()
                    ? CompletableFuture.completedFuture(refused)
                    : submit(user, "delete lock " + rowKey + " of branch " + branchId, f, command));
        }
        return chain;
    }

    /** Whether a live transaction has this branch (Seata's globalLock/check). */
    CompletableFuture<Boolean> hasBranch(String xid, long branchId) {
        return transaction(xid)
                .thenApply(tx -> tx.map(t -> t.branches().stream().anyMatch(b -> b.branchId() == branchId))
                        .orElse(false));
    }

    /** The live transaction with exactly this XID, if any. */
    CompletableFuture<Optional<TransactionView>> transaction(String xid) {
        int fragment = fragmentOf(xid);
        if (fragment < 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return commands.submit(
                        fragment,
                        null,
                        new Command.ListTransactions(TransactionFilter.xid(xid), 100),
                        FanOutQueries.READ_TIMEOUT)
                .thenApply(r -> r instanceof Result.Transactions t
                        ? t.transactions().stream()
                                .filter(v -> v.xid().equals(xid))
                                .findFirst()
                        : Optional.empty());
    }

    private CompletableFuture<Optional<String>> submit(String user, String what, int fragment, Command command) {
        RequestId id = new RequestId(origin, sequence.incrementAndGet());
        return commands.submit(fragment, id, command, OPERATION_TIMEOUT).handle((result, error) -> {
            if (error != null) {
                LOG.warn(
                        "console: user '{}' asked to {} ({}) in fragment {}: not confirmed: {}",
                        user,
                        what,
                        command,
                        fragment,
                        error.toString());
                throw new IllegalStateException("not confirmed: " + error.getMessage(), error);
            }
            if (result instanceof Result.Rejected r) {
                LOG.info("console: user '{}' asked to {} ({}): refused: {}", user, what, command, r.message());
                return Optional.of(r.message());
            }
            LOG.info("console: user '{}' did {} ({}) in fragment {}", user, what, command, fragment);
            return Optional.<String>empty();
        });
    }
}
