package io.arbiter.replication.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.replication.ProposalBursts;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BatcherBurstTest {
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    /** Drains at once on the offering thread: every offer outside a burst is packed alone. */
    private final Batcher batcher = new Batcher(256, 32, 1024, Runnable::run, batch -> batchSizes.add(batch.size()));

    private void offer() {
        assertThat(batcher.offer(new Batcher.Proposal(new byte[] {1}, new CompletableFuture<>())))
                .isTrue();
    }

    @Test
    void proposalsOfferedOneAfterAnotherOutsideABurstGoOneByOne() {
        offer();
        offer();
        offer();
        assertThat(batchSizes).containsExactly(1, 1, 1);
    }

    @Test
    void proposalsOfferedInABurstGoInOneEntryWhenItEnds() {
        ProposalBursts.during(() -> {
            offer();
            offer();
            offer();
            assertThat(batchSizes).as("nothing packed during the burst").isEmpty();
        });
        assertThat(batchSizes).containsExactly(3);
    }

    @Test
    void aNestedBurstPacksWhenTheOutermostEnds() {
        ProposalBursts.during(() -> {
            offer();
            ProposalBursts.during(this::offer);
            assertThat(batchSizes).isEmpty();
            offer();
        });
        assertThat(batchSizes).containsExactly(3);
    }

    @Test
    void aBurstThatThrowsStillStartsThePacking() {
        try {
            ProposalBursts.during(() -> {
                offer();
                throw new IllegalStateException("an answer's continuation failed");
            });
        } catch (IllegalStateException expected) {
            // the proposal offered before the failure is still packed
        }
        assertThat(batchSizes).containsExactly(1);
        offer();
        assertThat(batchSizes).as("the thread is out of the burst").containsExactly(1, 1);
    }
}
