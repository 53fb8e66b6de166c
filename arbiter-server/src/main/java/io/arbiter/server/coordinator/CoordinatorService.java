package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import io.arbiter.replication.ReplicaGroup;
import java.util.concurrent.CompletableFuture;

/**
 * Submits commands to the fragment's replica group and returns their results once committed and applied.
 *
 * <p>Threading: thread-safe; never blocks the caller.
 */
public final class CoordinatorService {
    private final ReplicaGroup group;

    public CoordinatorService(ReplicaGroup group) {
        this.group = group;
    }

    public CompletableFuture<Result> submit(Command command) {
        return group.propose(CommandCodec.encode(command)).thenApply(ResultCodec::decode);
    }

    public boolean isLeader() {
        return group.isLeader();
    }
}
