package io.arbiter.server;

import static io.arbiter.server.TestCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.server.TestCli.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arbiter tx ...} and {@code arbiter locks list} against a real node with console credentials and 4
 * fragments, over its HTTP API: tables, {@code --json}, operations that change the transaction, and a non-zero exit
 * status with a reason on failure.
 */
class OperatorCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static ArbiterNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(
                dataDir,
                Map.of(
                        "arbiter.fragments",
                        "4",
                        "console.user.username",
                        "ops",
                        "console.user.password",
                        "pw",
                        "seata.security.secretKey",
                        "Y2xpLXRlc3Qtc2VjcmV0LWNsaS10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--node", "127.0.0.1:" + node.httpPort(), "--username", "ops", "--password", "pw"));
        return run(all);
    }

    private static String begin(RawSeataClient tm, String name) throws Exception {
        GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, name));
        assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
        return begin.xid();
    }

    @Test
    void listShowLocksAndRollBackALiveTransaction() throws Exception {
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), "jdbc:pg/cli", "2.5.0")) {
            String xid = begin(tm, "cli-order");
            BranchRegisterResponse r = (BranchRegisterResponse)
                    rm.call(new BranchRegisterRequest(xid, BranchType.AT, "jdbc:pg/cli", "stock:41,42", null));
            assertThat(r.resultCode()).isEqualTo(ResultCode.Success);

            Run list = cli("tx", "list", "--name", "cli-order");
            assertThat(list.status()).as(list.err()).isZero();
            assertThat(list.out()).contains("XID", xid, "Begin", "cli-order").contains("(1 transactions)");

            Run json = cli("tx", "list", "--json", "--status", "1");
            assertThat(json.status()).isZero();
            JsonNode page = JSON.readTree(json.out());
            assertThat(page.path("data").findValuesAsText("xid")).contains(xid);

            Run show = cli("tx", "show", xid);
            assertThat(show.status()).as(show.err()).isZero();
            assertThat(show.out())
                    .contains("status       Begin", "jdbc:pg/cli", String.valueOf(r.branchId()), "Registered");

            Run locks = cli("locks", "list", "--xid", xid);
            assertThat(locks.status()).as(locks.err()).isZero();
            assertThat(locks.out()).contains("stock", "41", "42").contains("(2 locks)");

            Run rollback = cli("tx", "rollback", xid);
            assertThat(rollback.status()).as(rollback.err()).isZero();
            assertThat(rollback.out()).contains("done: Rollback");
            // the RM is asked to roll its branch back; the transaction is no longer Begin
            GlobalStatusResponse status = (GlobalStatusResponse) tm.call(new GlobalStatusRequest(xid));
            assertThat(status.globalStatus().name()).isNotEqualTo("Begin").contains("Rollback");
        }
    }

    @Test
    void failuresExitNonZeroWithAReason() {
        Run unknown = cli("tx", "show", "127.0.0.1:1:" + ((2L << 48) | 99));
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no live transaction");

        Run notStopped = cli("tx", "start-retry", "127.0.0.1:1:" + ((1L << 48) | 5));
        assertThat(notStopped.status()).isEqualTo(1);
        assertThat(notStopped.err()).startsWith("arbiter: ").hasSizeGreaterThan("arbiter: \n".length());

        Run badAction = cli("tx", "explode", "x");
        assertThat(badAction.status()).isEqualTo(2);
        assertThat(badAction.err()).contains("unknown action");

        Run noXid = cli("tx", "commit");
        assertThat(noXid.status()).isEqualTo(2);
        assertThat(noXid.err()).contains("needs an XID");

        List<String> args = List.of(
                "tx", "list", "--node", "127.0.0.1:" + node.httpPort(), "--username", "ops", "--password", "wrong");
        Run refused = run(args);
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).startsWith("arbiter: login failed").doesNotContain("\tat ");
        assertThat(refused.out()).isEmpty();

        Run unreachable = run(List.of("locks", "list", "--node", "127.0.0.1:1"));
        assertThat(unreachable.status()).isEqualTo(1);
        assertThat(unreachable.err())
                .startsWith("arbiter: cannot connect to the node")
                .doesNotContain("\tat ");
    }
}
