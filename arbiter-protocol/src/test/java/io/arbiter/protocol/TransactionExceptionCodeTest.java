package io.arbiter.protocol;

import static io.arbiter.protocol.TransactionExceptionCode.Broken;
import static io.arbiter.protocol.TransactionExceptionCode.CommitHeuristic;
import static io.arbiter.protocol.TransactionExceptionCode.FailedStore;
import static io.arbiter.protocol.TransactionExceptionCode.LockKeyConflict;
import static io.arbiter.protocol.TransactionExceptionCode.LockKeyConflictFailFast;
import static io.arbiter.protocol.TransactionExceptionCode.NotRaftLeader;
import static io.arbiter.protocol.TransactionExceptionCode.TransactionTimeout;
import static io.arbiter.protocol.TransactionExceptionCode.Unknown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The per-version ordinal table of spec §6.5, as corrected against the v1.4.2-v1.7.0 sources. */
class TransactionExceptionCodeTest {

    private static final ClientVersion V14 = ClientVersion.parse("1.4.2");
    private static final ClientVersion V16 = ClientVersion.parse("1.6.1");
    private static final ClientVersion V18 = ClientVersion.parse("1.8.0");
    private static final ClientVersion V20 = ClientVersion.parse("2.0.0");
    private static final ClientVersion V23 = ClientVersion.parse("2.3.0-SNAPSHOT");

    @Test
    void client18VersusClient2x() {
        assertThat(LockKeyConflictFailFast.ordinalFor(V18)).isEqualTo(19);
        assertThat(LockKeyConflictFailFast.ordinalFor(V20)).isEqualTo(20);
        assertThat(TransactionTimeout.ordinalFor(V18)).isEqualTo(20);
        assertThat(TransactionTimeout.ordinalFor(V20)).isEqualTo(21);
        assertThat(CommitHeuristic.ordinalFor(V18)).isEqualTo(21);
        assertThat(CommitHeuristic.ordinalFor(V23)).isEqualTo(22);
        assertThat(Broken.ordinalFor(V18)).isEqualTo(22);
        assertThat(Broken.ordinalFor(ClientVersion.LATEST)).isEqualTo(23);
        assertThat(NotRaftLeader.ordinalFor(V20)).isEqualTo(19);
        assertThat(NotRaftLeader.ordinalFor(V18)).isEqualTo(0);
        assertThat(NotRaftLeader.downgradeFor(V18)).isEqualTo(Unknown);
        assertThat(FailedStore.ordinalFor(V18)).isEqualTo(18).isEqualTo(FailedStore.ordinalFor(V20));

        assertThat(TransactionExceptionCode.fromOrdinal(19, V18)).isEqualTo(LockKeyConflictFailFast);
        assertThat(TransactionExceptionCode.fromOrdinal(19, V20)).isEqualTo(NotRaftLeader);
        assertThat(TransactionExceptionCode.fromOrdinal(22, V18)).isEqualTo(Broken);
        assertThat(TransactionExceptionCode.fromOrdinal(23, V20)).isEqualTo(Broken);
        assertThatThrownBy(() -> TransactionExceptionCode.fromOrdinal(23, V18)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> TransactionExceptionCode.fromOrdinal(24, V20)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> TransactionExceptionCode.fromOrdinal(-1, V20)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void olderClientsNeverSeeCodesTheyLack() {
        // 1.5/1.6 have LockKeyConflictFailFast at 19 but not 20-22; 1.4 stops at FailedStore (18).
        assertThat(LockKeyConflictFailFast.ordinalFor(V16)).isEqualTo(19);
        assertThat(TransactionTimeout.ordinalFor(V16)).isEqualTo(0);
        assertThat(Broken.downgradeFor(V16)).isEqualTo(Unknown);
        assertThat(LockKeyConflictFailFast.downgradeFor(V14)).isEqualTo(LockKeyConflict);
        assertThat(LockKeyConflictFailFast.ordinalFor(V14)).isEqualTo(2);
        for (TransactionExceptionCode c : TransactionExceptionCode.values()) {
            assertThat(c.ordinalFor(V14)).isLessThanOrEqualTo(18);
            assertThat(c.ordinalFor(V16)).isLessThanOrEqualTo(19);
            assertThat(c.ordinalFor(V18)).isLessThanOrEqualTo(22);
            assertThat(c.ordinalFor(ClientVersion.LATEST)).isLessThanOrEqualTo(23);
            assertThat(TransactionExceptionCode.fromOrdinal(c.ordinalFor(V18), V18))
                    .isEqualTo(c.downgradeFor(V18));
            assertThat(TransactionExceptionCode.fromOrdinal(c.ordinalFor(V20), V20))
                    .isEqualTo(c);
        }
    }
}
