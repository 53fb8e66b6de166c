package io.arbiter.bench.load;

/** {@code rollback}: begin + rollback of a global transaction without branches. */
final class RollbackWorkload implements Workload {
    private final int timeoutMs;

    RollbackWorkload(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void runOne() throws Exception {
        GlobalTx.rollback(timeoutMs, "bench-rollback", () -> {});
    }
}
