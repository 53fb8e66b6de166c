package io.arbiter.core;

/**
 * Tuning of the coordinator's phase-two behaviour; identical on every replica of a fragment.
 *
 * @param retryBackoffMillis     delay before the first phase-two retry; doubles per attempt
 * @param maxRetryBackoffMillis  upper bound of the retry delay
 * @param callTimeoutMillis      how long a phase-two call may stay unanswered before it is retried anyway
 * @param maxCommitRetryMillis   give up committing after this long (CommitRetryTimeout); negative: never
 * @param maxRollbackRetryMillis give up rolling back after this long (RollbackRetryTimeout); negative: never
 */
public record CoordinatorSettings(
        long retryBackoffMillis,
        long maxRetryBackoffMillis,
        long callTimeoutMillis,
        long maxCommitRetryMillis,
        long maxRollbackRetryMillis) {

    /** Seata's defaults: retry every second or so, never give up. */
    public static CoordinatorSettings defaults() {
        return new CoordinatorSettings(1_000, 10_000, 20_000, -1, -1);
    }

    public CoordinatorSettings {
        if (retryBackoffMillis <= 0 || maxRetryBackoffMillis < retryBackoffMillis || callTimeoutMillis <= 0) {
            throw new IllegalArgumentException("retry back-off and call timeout must be positive and ordered");
        }
    }

    long backoff(int attempts) {
        long delay = retryBackoffMillis;
        for (int i = 1; i < attempts && delay < maxRetryBackoffMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxRetryBackoffMillis);
    }
}
