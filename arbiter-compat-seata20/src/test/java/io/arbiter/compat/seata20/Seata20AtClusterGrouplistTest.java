package io.arbiter.compat.seata20;

import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.scenario.ClusterTc;
import io.arbiter.compat.server.RunningTc;
import java.util.Map;

/** The same scenarios against three node processes with eight fragments, found through a grouplist of every node. */
class Seata20AtClusterGrouplistTest extends Seata20AtTest {
    @Override
    protected RunningTc startTc(Map<String, String> settings) throws Exception {
        return ClusterTc.start("at-grouplist", 3, 8, Discovery.STATIC_GROUPLIST, settings);
    }
}
