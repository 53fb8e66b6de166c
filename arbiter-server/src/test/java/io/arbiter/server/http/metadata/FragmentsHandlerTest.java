package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Node arguments of the fragments admin API: the map's ids, or the Raft addresses operators type. */
class FragmentsHandlerTest {
    @Test
    void nodesAreTakenAsIdsOrAsRaftAddresses() {
        assertThat(FragmentsHandler.nodeId(" 10.0.0.1:9091 ")).isEqualTo("10.0.0.1_9091");
        assertThat(FragmentsHandler.nodeId("10.0.0.1_9091")).isEqualTo("10.0.0.1_9091");
        assertThat(FragmentsHandler.nodeId("node-a")).isEqualTo("node-a");
        assertThat(FragmentsHandler.nodeId("host:")).isEqualTo("host:");
    }
}
