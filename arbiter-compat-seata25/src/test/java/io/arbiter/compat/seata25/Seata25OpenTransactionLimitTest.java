package io.arbiter.compat.seata25;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.server.InProcessArbiter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node at {@code arbiter.max-open-transactions} answers the real Seata 2.5 client's begin with a clear error (the
 * TM throws with the reason at once, no hang), and takes begins again once a transaction ended.
 */
class Seata25OpenTransactionLimitTest {
    @Test
    void aFullNodeRefusesABeginWithAClearSeataError() throws Exception {
        try (InProcessArbiter tc = InProcessArbiter.start(Map.of("arbiter.max-open-transactions", "2"))) {
            CompatClient client = new Seata25Client();
            client.init(tc);
            GlobalTx first = client.begin("limit-1", 30_000);
            client.unbind();
            GlobalTx second = client.begin("limit-2", 30_000);
            client.unbind();
            long start = System.nanoTime();
            Throwable refused = catchThrowable(() -> client.begin("limit-3", 30_000));
            assertThat(refused).isNotNull();
            assertThat(refused).hasStackTraceContaining("too many open transactions");
            assertThat((System.nanoTime() - start) / 1_000_000)
                    .as("refused at once")
                    .isLessThan(5_000);
            client.unbind();
            assertThat(first.commit()).isEqualTo("Committed");
            GlobalTx again = client.begin("limit-4", 30_000);
            assertThat(again.xid()).matches(tc.xidPattern());
            assertThat(again.rollback()).isEqualTo("Rollbacked");
            assertThat(second.rollback()).isEqualTo("Rollbacked");
        }
    }
}
