package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arbiter.max-open-transactions}: a full fragment refuses begins with a clear error and takes them again. */
class OpenTransactionLimitTest {
    @TempDir
    Path dataDir;

    @Test
    void aFullFragmentRefusesBeginsClearlyUntilATransactionEnds() throws Exception {
        try (ArbiterNode node = TestNodes.start(dataDir, Map.of("arbiter.max-open-transactions", "3"));
                RawSeataClient tm = RawSeataClient.tm(node.port())) {
            List<String> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                GlobalBeginResponse b = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t" + i));
                assertThat(b.resultCode()).isEqualTo(ResultCode.Success);
                open.add(b.xid());
            }
            GlobalBeginResponse refused = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t3"));
            assertThat(refused.resultCode()).isEqualTo(ResultCode.Failed);
            assertThat(refused.exceptionCode()).isEqualTo(TransactionExceptionCode.BeginFailed);
            assertThat(refused.msg()).contains("too many open transactions", "arbiter.max-open-transactions = 3");

            GlobalCommitResponse commit = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(open.get(0)));
            assertThat(commit.globalStatus()).isEqualTo(GlobalStatus.Committed);
            GlobalBeginResponse again = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t4"));
            assertThat(again.resultCode()).isEqualTo(ResultCode.Success);
        }
    }
}
