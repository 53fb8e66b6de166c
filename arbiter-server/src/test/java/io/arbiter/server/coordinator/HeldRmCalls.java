package io.arbiter.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.message.BranchEndResponse;
import io.arbiter.server.rpc.BranchCalls;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Phase-two calls to RMs that are answered only when a test completes them, in the order they were made. */
final class HeldRmCalls implements BranchCalls {
    final List<CompletableFuture<BranchEndResponse>> calls = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<BranchEndResponse> call(
            io.arbiter.protocol.message.BranchEndRequest request, String clientId, String appId, boolean anyApp) {
        CompletableFuture<BranchEndResponse> call = new CompletableFuture<>();
        calls.add(call);
        return call;
    }

    /** Waits (up to 5 s) until at least {@code n} calls were made. */
    void awaitCalls(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (calls.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(calls).hasSizeGreaterThanOrEqualTo(n);
    }
}
