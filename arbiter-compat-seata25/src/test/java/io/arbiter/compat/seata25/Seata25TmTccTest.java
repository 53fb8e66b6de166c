package io.arbiter.compat.seata25;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.scenario.TmTccScenarios;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.rm.DefaultResourceManager;
import org.junit.jupiter.api.Test;

/**
 * The TM + TCC scenarios with the Seata 2.5 client (and, compiled again, the 2.1-2.3 clients of arbiter-compat-seata2x),
 * run by {@code Seata25OneNodeTest}, the {@code Cluster} classes and the {@code Fragments} class.
 */
abstract class Seata25TmTccTest extends TmTccScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }

    /** Since 2.2 an RM may ask for a global status itself (GlobalStatusRequest on the RM channel, batched). */
    @Test
    void resourceManagerAsksForAGlobalStatus() throws Exception {
        GlobalTx tx = client().begin("compat-rm-status", 30_000);
        tx.suspend();
        assertThat(DefaultResourceManager.get()
                        .getGlobalStatus(BranchType.TCC, tx.xid())
                        .name())
                .isEqualTo("Begin");
        assertThat(tx.commit()).isEqualTo("Committed");
        assertThat(DefaultResourceManager.get()
                        .getGlobalStatus(BranchType.TCC, tx.xid())
                        .name())
                .isIn("Committed", "Finished");
    }
}
