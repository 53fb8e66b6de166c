package io.arbiter.bench.load;

import java.util.Map;

/** One kind of global transaction, run over and over by every load thread. */
public interface Workload extends AutoCloseable {

    /** Prepares what the transactions need; the Seata client (TM and RM) is initialised already. */
    default void setUp() throws Exception {}

    /** Runs one complete global transaction on the calling thread; throws if it did not end as intended. */
    void runOne() throws Exception;

    /**
     * Checks the end state once every load thread has stopped; {@code succeeded} counts the transactions that
     * succeeded over the whole run (probe, warm-up and measured window). Empty map: nothing to check.
     */
    default Map<String, Object> verify(long succeeded) throws Exception {
        return Map.of();
    }

    /** Whether the check returned by {@link #verify} passed. */
    default boolean passed(Map<String, Object> check) {
        return true;
    }

    /** Whether the workload registers branches (needs the RM side of the client). */
    default boolean needsRm() {
        return false;
    }

    @Override
    default void close() throws Exception {}

    static Workload create(String name, LoadOptions options) {
        return switch (name) {
            case "empty" -> new EmptyWorkload(options.txTimeoutMs);
            case "rollback" -> new RollbackWorkload(options.txTimeoutMs);
            case "tcc" -> new TccWorkload(options.txTimeoutMs);
            case "at" -> new AtWorkload(options.txTimeoutMs, options.atRows, options.atInitialStock, options.threads);
            default -> throw new IllegalArgumentException("unknown workload '" + name + "' (empty, rollback, tcc, at)");
        };
    }
}
