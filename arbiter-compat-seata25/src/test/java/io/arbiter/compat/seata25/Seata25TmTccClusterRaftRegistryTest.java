package io.arbiter.compat.seata25;

import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.scenario.ClusterTc;
import io.arbiter.compat.server.RunningTc;
import java.util.Map;

/** The same scenarios against three node processes with eight fragments, found through Seata's raft registry. */
class Seata25TmTccClusterRaftRegistryTest extends Seata25TmTccTest {
    @Override
    protected RunningTc startTc(Map<String, String> settings) throws Exception {
        return ClusterTc.start("tmtcc-raftregistry", 3, 8, Discovery.RAFT_REGISTRY, settings);
    }
}
