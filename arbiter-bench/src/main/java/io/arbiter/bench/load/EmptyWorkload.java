package io.arbiter.bench.load;

/** {@code empty}: begin + commit of a global transaction without branches (the TM path only). */
final class EmptyWorkload implements Workload {
    private final int timeoutMs;

    EmptyWorkload(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void runOne() throws Exception {
        GlobalTx.commit(timeoutMs, "bench-empty", () -> {});
    }
}
