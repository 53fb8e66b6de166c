package io.arbiter.replication.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bound on outstanding entries, without Ratis: which batches expire, with what, and the window slot. */
class InFlightBatchesTest {

    private static final long HOUR = Duration.ofHours(1).toNanos();
    private final InFlightBatches inFlight = new InFlightBatches(7);
    private final AtomicInteger released = new AtomicInteger();

    private CompletableFuture<byte[]> add(long id, long term) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        inFlight.add(new InFlightBatches.Batch(id, List.of(f), term, released::incrementAndGet));
        return f;
    }

    private static ReplicationException expiry(InFlightBatches.Batch b, boolean leadershipLost) {
        return leadershipLost && !b.appended
                ? new NotLeaderException("n2")
                : new IndeterminateException("n2", leadershipLost ? "lost" : "timeout");
    }

    @Test
    void nothingExpiresWhileTheReplicaLeadsInTheSameTermWithinTheBound() {
        CompletableFuture<byte[]> f = add(1, 3);
        assertThat(inFlight.expire(true, 3, -1, HOUR, InFlightBatchesTest::expiry))
                .isZero();
        assertThat(f).isNotDone();
        assertThat(released).hasValue(0);
    }

    @Test
    void leadershipLossOrANewTermExpiresBatchesOlderThanTheGracePeriod() {
        CompletableFuture<byte[]> notAppended = add(1, 3);
        CompletableFuture<byte[]> appended = add(2, 3);
        inFlight.markAppended(7, 2);
        assertThat(inFlight.expire(false, 3, HOUR, HOUR, InFlightBatchesTest::expiry))
                .as("too young")
                .isZero();
        assertThat(inFlight.expire(true, 4, -1, HOUR, InFlightBatchesTest::expiry))
                .isEqualTo(2);
        assertThat(notAppended)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(NotLeaderException.class);
        assertThat(appended)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(IndeterminateException.class);
        assertThat(released).hasValue(2);
        assertThat(inFlight.size()).isZero();
    }

    @Test
    void theCommitTimeoutExpiresEvenALeadersBatchAndTheLoserFindsNothing() {
        CompletableFuture<byte[]> f = add(1, 3);
        assertThat(inFlight.expire(true, 3, HOUR, -1, InFlightBatchesTest::expiry))
                .isEqualTo(1);
        assertThat(f)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        IndeterminateException.class, e -> assertThat(e).hasMessage("timeout"));
        // the entry is applied later after all, and Ratis replies: no second completion, no second release
        inFlight.applied(7, 1, new Object[] {"late".getBytes(StandardCharsets.UTF_8)});
        inFlight.fail(1, appended -> new ReplicationException(ReplicationException.Reason.FAILED, "reply"));
        assertThat(released).hasValue(1);
    }

    @Test
    void applyingReleasesTheWindowSlotOnce() {
        CompletableFuture<byte[]> f = add(1, 3);
        inFlight.applied(7, 1, new Object[] {"1".getBytes(StandardCharsets.UTF_8)});
        assertThat(f.join()).isEqualTo("1".getBytes(StandardCharsets.UTF_8));
        assertThat(released).hasValue(1);
    }
}
