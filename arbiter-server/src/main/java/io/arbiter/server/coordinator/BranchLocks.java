package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.result.Result;
import io.arbiter.server.fragment.Fragment;
import java.util.concurrent.CompletableFuture;

/**
 * Branch registration and lock queries, whose row locks may live in other fragments than the transaction's.
 *
 * <p>Threading: implementations are thread-safe and never block.
 */
public interface BranchLocks {

    /**
     * Registers a branch in {@code fragment} (the transaction's, led here), taking its row locks wherever they live,
     * all or nothing; completes with the core's result ({@code BranchRegistered} or {@code Rejected}).
     */
    CompletableFuture<Result> register(Fragment fragment, Command.RegisterBranch command, RequestId id);

    /** Whether the rows of {@code lockKey} could be locked by {@code xid}; completes with a {@code Lockable}. */
    CompletableFuture<Result> lockable(Fragment fragment, String xid, String resourceId, String lockKey);

    /** Every row lock in the transaction's own fragment: today's single-fragment behaviour. */
    BranchLocks LOCAL = new BranchLocks() {
        @Override
        public CompletableFuture<Result> register(Fragment fragment, Command.RegisterBranch command, RequestId id) {
            return fragment.service().submit(id, command);
        }

        @Override
        public CompletableFuture<Result> lockable(Fragment fragment, String xid, String resourceId, String lockKey) {
            return fragment.service().submit(new Command.QueryLock(xid, resourceId, lockKey));
        }
    };
}
