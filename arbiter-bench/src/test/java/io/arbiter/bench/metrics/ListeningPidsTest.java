package io.arbiter.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListeningPidsTest {

    @Test
    void picksTheListenEntriesOfTheWantedPorts() {
        List<String> tcp = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F9B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0",
                "   1: 0100007F:1F9C 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0",
                "   2: 0100007F:1F9B 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 333 1 0");
        // 0x1F9B = 8091 (LISTEN and one ESTABLISHED), 0x1F9C = 8092
        assertThat(ListeningPids.listenInodes(tcp, List.of(8091))).containsExactly(111L);
        assertThat(ListeningPids.listenInodes(tcp, List.of(8091, 8092))).containsExactlyInAnyOrder(111L, 222L);
        assertThat(ListeningPids.listenInodes(tcp, List.of(9999))).isEmpty();
    }

    @Test
    void findsThisJvmBehindItsOwnServerSocket() throws Exception {
        assumeTrue(ProcCpu.available());
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThat(ListeningPids.find(List.of(s.getLocalPort())))
                    .contains(ProcessHandle.current().pid());
        }
    }
}
