package io.arbiter.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Wire codes against Seata 2.5.0's enums, lookups and per-version knowledge. */
class WireEnumsTest {

    private static final ClientVersion V14 = ClientVersion.parse("1.4.2");
    private static final ClientVersion V18 = ClientVersion.parse("1.8.0");
    private static final ClientVersion V22 = ClientVersion.parse("2.2.0");

    @Test
    void globalStatusCodesMatchSeata() {
        for (org.apache.seata.core.model.GlobalStatus s : org.apache.seata.core.model.GlobalStatus.values()) {
            assertThat(GlobalStatus.valueOf(s.name()).code()).isEqualTo(s.getCode());
            assertThat(GlobalStatus.fromCode(s.getCode()).name()).isEqualTo(s.name());
        }
        assertThat(GlobalStatus.values()).hasSize(21);
        assertThatThrownBy(() -> GlobalStatus.fromCode(21)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> GlobalStatus.fromCode(-1)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void branchStatusCodesMatchSeata() {
        for (org.apache.seata.core.model.BranchStatus s : org.apache.seata.core.model.BranchStatus.values()) {
            assertThat(BranchStatus.valueOf(s.name()).code()).isEqualTo(s.getCode());
            assertThat(BranchStatus.fromCode(s.getCode()).name()).isEqualTo(s.name());
        }
        assertThat(BranchStatus.values()).hasSize(15);
        assertThatThrownBy(() -> BranchStatus.fromCode(15)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void branchTypeAndResultCodeOrdinalsMatchSeata() {
        for (org.apache.seata.core.model.BranchType t : org.apache.seata.core.model.BranchType.values()) {
            assertThat(BranchType.valueOf(t.name()).code()).isEqualTo(t.ordinal());
            assertThat(BranchType.fromCode(t.ordinal()).name()).isEqualTo(t.name());
        }
        assertThat(BranchType.values()).hasSize(5);
        assertThatThrownBy(() -> BranchType.fromCode(5)).isInstanceOf(ProtocolException.class);
        for (org.apache.seata.core.protocol.ResultCode r : org.apache.seata.core.protocol.ResultCode.values()) {
            assertThat(ResultCode.fromCode(r.ordinal()).name()).isEqualTo(r.name());
        }
        assertThatThrownBy(() -> ResultCode.fromCode(2)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void globalStatusKnowledgePerVersion() {
        assertThat(GlobalStatus.maxCodeFor(V14)).isEqualTo(15);
        assertThat(GlobalStatus.maxCodeFor(V18)).isEqualTo(17);
        assertThat(GlobalStatus.maxCodeFor(V22)).isEqualTo(17);
        assertThat(GlobalStatus.maxCodeFor(ClientVersion.parse("2.3.0"))).isEqualTo(17);
        assertThat(GlobalStatus.maxCodeFor(ClientVersion.V2_5_0)).isEqualTo(20);
        assertThat(GlobalStatus.maxCodeFor(ClientVersion.LATEST)).isEqualTo(20);
        for (GlobalStatus s : GlobalStatus.values()) {
            assertThat(s.knownBy(V18)).isEqualTo(s.code() <= 17);
            assertThat(s.knownBy(ClientVersion.LATEST)).isTrue();
        }
        assertThat(GlobalStatus.Finished.knownBy(V14)).isTrue();
        assertThat(GlobalStatus.CommitRetryTimeout.knownBy(V14)).isFalse();
    }

    @Test
    void branchStatusAndTypeKnowledgePerVersion() {
        assertThat(BranchStatus.PhaseOne_RDONLY.knownBy(ClientVersion.parse("2.1.0")))
                .isFalse();
        assertThat(BranchStatus.PhaseOne_RDONLY.knownBy(V22)).isTrue();
        assertThat(BranchStatus.STOP_RETRY.knownBy(V22)).isFalse();
        assertThat(BranchStatus.PhaseTwo_CommitFailed_XAER_NOTA_Retryable.knownBy(V14))
                .isFalse();
        assertThat(BranchStatus.PhaseTwo_CommitFailed_XAER_NOTA_Retryable.knownBy(V18))
                .isTrue();
        assertThat(BranchType.XA.knownBy(V14)).isTrue();
        assertThat(BranchType.SAGA_ANNOTATION.knownBy(V22)).isFalse();
        assertThat(BranchType.SAGA_ANNOTATION.knownBy(ClientVersion.V2_5_0)).isTrue();
    }
}
