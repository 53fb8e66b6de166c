package io.arbiter.compat.seata25;

import io.arbiter.compat.ha.ChaosSettings;

/**
 * A node's death is a pause, not an error, strictly: the raft-registry scenario of
 * {@link Seata25RaftRegistryFailoverTest}, but each kill takes a node other than the one the client sends to (the
 * Raft leader or a follower, at random). Strict mode: no failed application transaction at all, and the
 * application and every worker commit again within 5 s of each kill. (Killing the node the client sends to fails
 * the requests that were on its socket: the Seata client's own limit, measured by
 * {@code bin/chaos --victim client_node} and explained in docs/RELIABILITY.md.)
 */
class Seata25NodeDeathTest extends Seata25RaftRegistryFailoverTest {
    @Override
    protected ChaosSettings settings() {
        return ChaosSettings.fromSystemProperties()
                .withVictim(ChaosSettings.Victim.OTHER_NODE)
                .withStrict(true);
    }
}
