package io.arbiter.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.message.PeerCommandRequest;
import io.arbiter.protocol.message.PeerCommandResponse;
import io.arbiter.protocol.message.PeerOperationRequest;
import io.arbiter.protocol.message.PeerOperationResponse;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Arbiter's node-to-node command messages: exact layout, round trip, and bad input. */
class PeerCommandCodecTest {

    private static String hex(SeataMessage m) {
        ByteBuf out = Unpooled.buffer();
        SeataCodec.encode(m, out);
        return ByteBufUtil.hexDump(out);
    }

    private static SeataMessage decode(String hex) {
        return SeataCodec.decode(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
    }

    @Test
    void requestLayout() {
        String hex = hex(new PeerCommandRequest(7, new byte[] {1, 2, 3}));
        assertThat(hex).isEqualTo("7a01" + "00000007" + "00000003" + "010203");
        PeerCommandRequest back = (PeerCommandRequest) decode(hex);
        assertThat(back.fragmentId()).isEqualTo(7);
        assertThat(back.command()).containsExactly(1, 2, 3);
    }

    @Test
    void responseLayoutForEveryOutcome() {
        assertThat(hex(PeerCommandResponse.applied(new byte[] {9}))).isEqualTo("7a02" + "00" + "00000001" + "09");
        assertThat(hex(PeerCommandResponse.notLeader())).isEqualTo("7a02" + "01" + "00000000");
        assertThat(hex(PeerCommandResponse.refused())).isEqualTo("7a02" + "02" + "00000000");
        PeerCommandResponse back = (PeerCommandResponse) decode("7a02" + "00" + "00000002" + "0506");
        assertThat(back.outcome()).isEqualTo(PeerCommandResponse.Outcome.APPLIED);
        assertThat(back.result()).containsExactly(5, 6);
    }

    @Test
    void operationLayouts() {
        String hex = hex(new PeerOperationRequest(PeerOperationRequest.Kind.TRANSFER_LEADER, 3, "n_1"));
        assertThat(hex).isEqualTo("7a03" + "02" + "00000003" + "00000003" + "6e5f31");
        assertThat(decode(hex))
                .isEqualTo(new PeerOperationRequest(PeerOperationRequest.Kind.TRANSFER_LEADER, 3, "n_1"));
        assertThat(hex(new PeerOperationResponse(true, ""))).isEqualTo("7a04" + "01" + "00000000");
        assertThat(decode("7a04" + "00" + "00000002" + "6e6f")).isEqualTo(new PeerOperationResponse(false, "no"));
        assertThatThrownBy(() -> decode("7a03" + "09" + "00000000" + "00000000"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("kind 9");
        assertThatThrownBy(() -> decode("7a04" + "02" + "00000000")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decode("7a04" + "01" + "ffffffff")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decode("7a03" + "00" + "00000001" + "00000009" + "61"))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void truncatedNegativeOrUnknownFieldsAreProtocolErrors() {
        assertThatThrownBy(() -> decode("7a01" + "00000001" + "00000005" + "0102"))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decode("7a01" + "00000001" + "ffffffff")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decode("7a02" + "07" + "00000000"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("outcome 7");
        assertThatThrownBy(() -> decode("7a02")).isInstanceOf(ProtocolException.class);
    }
}
