package io.arbiter.protocol.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.GlobalCommitResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TransactionExceptionCode ordinals checked against the real clients: io.seata 1.8.0 (1.x table), io.seata 2.0.0
 * and org.apache.seata 2.5.0 (2.x table).
 */
class TransactionExceptionCodeOracleTest {

    /** Our names; the old clients spell ordinal 16 "FailedLockGlobalTranscation". */
    private static String legacyName(TransactionExceptionCode c) {
        return c == TransactionExceptionCode.FailedLockGlobalTransaction ? "FailedLockGlobalTranscation" : c.name();
    }

    @ParameterizedTest(name = "io.seata {1}")
    @CsvSource({"oracle.seata18.jar, 1.8.0", "oracle.seata20.jar, 2.0.0"})
    void ordinalsMatchTheClientsOwnEnum(String property, String version) throws Exception {
        ClientVersion v = ClientVersion.parse(version);
        try (LegacySeata client = LegacySeata.open(property, version)) {
            List<String> names = client.exceptionCodeNames();
            for (int ordinal = 0; ordinal < names.size(); ordinal++) {
                assertThat(legacyName(TransactionExceptionCode.fromOrdinal(ordinal, v)))
                        .as("ordinal %d", ordinal)
                        .isEqualTo(names.get(ordinal));
            }
            int size = names.size();
            assertThatThrownBy(() -> TransactionExceptionCode.fromOrdinal(size, v))
                    .isInstanceOf(ProtocolException.class);
            for (TransactionExceptionCode c : TransactionExceptionCode.values()) {
                if (c.knownBy(v)) {
                    assertThat(names.get(c.ordinalFor(v))).isEqualTo(legacyName(c));
                }
            }
        }
    }

    @ParameterizedTest(name = "io.seata {1}")
    @CsvSource({"oracle.seata18.jar, 1.8.0", "oracle.seata20.jar, 2.0.0"})
    void bytesMatchTheClientsSerializerBothWays(String property, String version) throws Exception {
        ClientVersion v = ClientVersion.parse(version);
        try (LegacySeata client = LegacySeata.open(property, version)) {
            for (TransactionExceptionCode c : TransactionExceptionCode.values()) {
                GlobalCommitResponse ours = GlobalCommitResponse.failed(c, "why", GlobalStatus.CommitRetrying);
                TransactionExceptionCode seen = c.downgradeFor(v);
                byte[] theirs = client.globalCommitResponse("Failed", "why", legacyName(seen), "CommitRetrying");
                assertThat(Hex.hex(Hex.encode(ours, v))).as("%s for %s", c, v).isEqualTo(Hex.hex(theirs));
                assertThat(client.decodeGlobalCommitResponse(Hex.encode(ours, v)))
                        .containsExactly("Failed", "why", legacyName(seen), "CommitRetrying");
                assertThat(Hex.decode(theirs, v))
                        .isEqualTo(GlobalCommitResponse.failed(seen, "why", GlobalStatus.CommitRetrying));
            }
        }
    }

    @Test
    void latestTableIsSeata25EnumOrder() {
        for (org.apache.seata.core.exception.TransactionExceptionCode s :
                org.apache.seata.core.exception.TransactionExceptionCode.values()) {
            TransactionExceptionCode ours = TransactionExceptionCode.valueOf(s.name());
            assertThat(ours.ordinalFor(ClientVersion.LATEST)).isEqualTo(s.ordinal());
            assertThat(TransactionExceptionCode.fromOrdinal(s.ordinal(), ClientVersion.LATEST))
                    .isEqualTo(ours);
        }
        assertThat(TransactionExceptionCode.values())
                .hasSize(org.apache.seata.core.exception.TransactionExceptionCode.values().length);
    }
}
