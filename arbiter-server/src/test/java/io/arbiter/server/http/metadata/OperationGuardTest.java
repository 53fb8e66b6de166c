package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Cluster operations without a console user are taken from this machine only: loopback and this machine's own
 * addresses pass, another host gets a 403 naming the settings; with a console user the login decides.
 */
class OperationGuardTest {
    private static final String PATH = "/api/v1/nodes/drain";

    @Test
    void withoutAConsoleUserOnlyThisMachineMayChangeTheCluster() throws Exception {
        assertThatCode(() -> OperationGuard.check(false, InetAddress.getByName("127.0.0.1"), PATH))
                .doesNotThrowAnyException();
        assertThatCode(() -> OperationGuard.check(false, InetAddress.getByName("::1"), PATH))
                .doesNotThrowAnyException();
        InetAddress own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress())
                .findFirst()
                .orElse(null);
        if (own != null) { // a machine with a network address of its own
            assertThatCode(() -> OperationGuard.check(false, own, PATH)).doesNotThrowAnyException();
        }

        InetAddress elsewhere = InetAddress.getByName("203.0.113.7"); // TEST-NET-3: never this machine
        assertThatThrownBy(() -> OperationGuard.check(false, elsewhere, PATH))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.status())
                                .isEqualTo(HttpResponseStatus.FORBIDDEN))
                .hasMessageContaining(PATH)
                .hasMessageContaining("203.0.113.7")
                .hasMessageContaining("console.user.username");
        assertThatThrownBy(() -> OperationGuard.check(false, null, PATH)).isInstanceOf(ApiException.class);
    }

    @Test
    void withAConsoleUserTheLoginDecides() throws Exception {
        assertThatCode(() -> OperationGuard.check(true, InetAddress.getByName("203.0.113.7"), PATH))
                .doesNotThrowAnyException();
    }
}
