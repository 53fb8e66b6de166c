package io.arbiter.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config application.yml}: a Seata server's YAML settings start Arbiter; mistakes name their key. */
class SeataYamlConfigTest {
    /** In the shape of the application.yml a Seata 2.x server ships with, raft mode and a few tunings. */
    private static final String SEATA_APPLICATION_YML = """
            server:
              port: 7191
            spring:
              application:
                name: seata-server
            logging:
              config: classpath:logback-spring.xml
              file:
                path: ${log.home:${user.home}/logs/seata}
            console:
              user:
                username: admin
                password: secret
            seata:
              config:
                type: file
              registry:
                type: file
                nacos:
                  namespace:
              store:
                mode: raft
                file:
                  dir: /var/lib/arbiter-yaml
              server:
                service-port: 8191
                max-commit-retry-timeout: 60000
                enable-check-auth: true
                recovery:
                  committing-retry-period: 500
                  timeout-retry-period: 1000
                undo:
                  log-save-days: 3
                raft:
                  group: orders
                  server-addr: 127.0.0.1:9191
                  serialization: jackson
              metrics:
                enabled: false
                exporter-list: prometheus
              transport:
                rpc-tc-request-timeout: 9000
              security:
                secretKey: SeataSecretKey0c382ef121d778043159209298fd40bf3850a017
                tokenValidityInMilliseconds: 1800000
                ignore:
                  urls: /,/**/*.css,/api/v1/auth/login
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void seatasApplicationYmlStartsArbiterWithItsValues() throws IOException {
        Map<String, String> values = ConfigLoader.readFile(write("application.yml", SEATA_APPLICATION_YML));
        assertThat(values)
                .containsEntry("seata.server.service-port", "8191")
                .containsEntry("seata.security.ignore.urls", "/,/**/*.css,/api/v1/auth/login")
                .containsEntry("seata.registry.nacos.namespace", "");
        values.put("arbiter.host", "127.0.0.1");
        ArbiterConfig config = ConfigLoader.load(values);
        assertThat(config.httpPort()).isEqualTo(7191);
        assertThat(config.port()).isEqualTo(8191);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/arbiter-yaml"));
        assertThat(config.group()).isEqualTo("orders");
        assertThat(config.undoLogSaveDays()).isEqualTo(3);
        assertThat(config.metadataApi().toString()).contains("admin");
    }

    @Test
    void anUnknownKeyInTheYamlStopsTheStartNamingIt() throws IOException {
        Map<String, String> values =
                ConfigLoader.readFile(write("typo.yml", "seata:\n  server:\n    service-prot: 8091\n"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(values));
        assertThat(e.key()).isEqualTo("seata.server.service-prot");
    }

    @Test
    void aBadValueNamesItsKey() throws IOException {
        Map<String, String> values = ConfigLoader.readFile(write("bad.yaml", "server:\n  port: seven\n"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(values));
        assertThat(e.key()).isIn("server.port", "arbiter.http-port");
        assertThat(e.getMessage()).contains("seven");
    }

    @Test
    void malformedYamlIsRefusedWithTheFileAndLine() throws IOException {
        Path file = write("broken.yml", "server:\n  port: 7091\n   oops: [\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.readFile(file));
        assertThat(e.key()).isEqualTo("--config");
        assertThat(e.getMessage()).contains("broken.yml").contains("line");
    }
}
