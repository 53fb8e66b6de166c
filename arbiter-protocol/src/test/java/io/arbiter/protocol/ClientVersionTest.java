package io.arbiter.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.seata.core.protocol.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientVersionTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.8.0",
                "2.0.0",
                "2.2.0",
                "2.3.0-SNAPSHOT",
                "2.0",
                "1.5",
                "0.6.1",
                "1.4.2",
                "2.5.0",
                "1.8.0.1",
                "10.20.30.40",
                "2.1.0-RC1",
                "2..0",
                "1.8.x",
                "2.x",
                "2.0.0-"
            })
    void numericValueMatchesSeatasVersionConversion(String s) throws Exception {
        assertThat(ClientVersion.parse(s).numericValue()).isEqualTo(Version.convertVersion(s));
        assertThat(ClientVersion.parse(s).isLatest()).isFalse();
        assertThat(ClientVersion.parse(s).toString()).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "abc", "v2.0.0", "1.2.3.4.5", "99999999999.0.0", "-", "...", "SNAPSHOT"})
    void garbageIsTreatedAsLatest(String s) {
        ClientVersion v = ClientVersion.parse(s);
        assertThat(v.isLatest()).isTrue();
        assertThat(v).isEqualTo(ClientVersion.LATEST);
        assertThat(v.isAtLeast(ClientVersion.V2_5_0)).isTrue();
    }

    @Test
    void nullIsLatest() {
        assertThat(ClientVersion.parse(null)).isSameAs(ClientVersion.LATEST);
    }

    @Test
    void ordering() {
        ClientVersion v18 = ClientVersion.parse("1.8.0");
        ClientVersion v20 = ClientVersion.parse("2.0.0");
        assertThat(v18).isLessThan(v20);
        assertThat(v18.isBefore(ClientVersion.V2_0_0)).isTrue();
        assertThat(v20.isAtLeast(ClientVersion.V2_0_0)).isTrue();
        assertThat(ClientVersion.parse("2.3.0-SNAPSHOT"))
                .isEqualTo(ClientVersion.parse("2.3.0"))
                .hasSameHashCodeAs(ClientVersion.parse("2.3.0"));
        assertThat(ClientVersion.parse("2.0")).isEqualTo(ClientVersion.V2_0_0);
        assertThat(ClientVersion.parse("1.10.0")).isGreaterThan(ClientVersion.parse("1.9.9"));
        assertThat(ClientVersion.parse("2.5.0")).isLessThan(ClientVersion.LATEST);
        assertThat(ClientVersion.V1_5_0).isLessThan(ClientVersion.V1_7_0);
        assertThat(ClientVersion.V2_2_0).isLessThan(ClientVersion.V2_5_0);
    }
}
