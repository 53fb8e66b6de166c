package io.arbiter.bench.load;

import io.seata.integration.tx.api.util.ProxyUtil;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code tcc}: begin, two TCC branches (two branch registrations), commit (the TC calls both participants'
 * commit back on this client before it answers).
 */
final class TccWorkload implements Workload {
    private final int timeoutMs;
    private BenchTccAction action;

    TccWorkload(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public boolean needsRm() {
        return true;
    }

    @Override
    public void setUp() {
        action = ProxyUtil.createProxy(new BenchTccActionImpl());
    }

    @Override
    public void runOne() throws Exception {
        int amount = ThreadLocalRandom.current().nextInt(1, 100);
        GlobalTx.commit(timeoutMs, "bench-tcc", () -> {
            if (!action.tryA(null, amount) || !action.tryB(null, amount)) {
                throw new IllegalStateException("a TCC try returned false");
            }
        });
    }

    @Override
    public Map<String, Object> verify(long succeeded) throws InterruptedException {
        // phase two is synchronous for TCC, but give retried commits a moment to land
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (BenchTccActionImpl.COMMITTED.sum() < 2 * succeeded && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("succeeded", succeeded);
        check.put("tried", BenchTccActionImpl.TRIED.sum());
        check.put("committed", BenchTccActionImpl.COMMITTED.sum());
        check.put("rolledBack", BenchTccActionImpl.ROLLED_BACK.sum());
        check.put("everyCommitConfirmed", BenchTccActionImpl.COMMITTED.sum() >= 2 * succeeded);
        return check;
    }

    @Override
    public boolean passed(Map<String, Object> check) {
        return Boolean.TRUE.equals(check.get("everyCommitConfirmed"));
    }
}
