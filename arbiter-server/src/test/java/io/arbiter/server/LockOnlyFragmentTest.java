package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.server.fragment.Fragment;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock-only fragment on one real node (three fragments, the default single lock fragment, {@code arbiter.lock-table}
 * memory): begins never land in it, its rows are granted and released from its leader's memory without a log entry,
 * conflicts and lock queries see them, an end frees them before it is answered, and after a restart the new leader
 * rebuilds its table from the transactions' fragments (a row held across the restart still conflicts).
 */
class LockOnlyFragmentTest {
    private static final String DB = "jdbc:postgresql://db/lockonly";

    @TempDir
    Path dataDir;

    private Map<String, String> settings(int port, int httpPort, int raftPort) {
        return Map.of(
                "arbiter.fragments", "3",
                "arbiter.port", String.valueOf(port),
                "arbiter.http-port", String.valueOf(httpPort),
                "arbiter.raft-port", String.valueOf(raftPort));
    }

    private static Fragment lockFragment(ArbiterNode node) {
        return node.fragments().local(0).orElseThrow();
    }

    private static BranchRegisterResponse register(RawSeataClient rm, String xid, List<String> pks) throws Exception {
        return (BranchRegisterResponse)
                rm.call(new BranchRegisterRequest(xid, BranchType.AT, DB, FragmentsTest.lockKey(pks), null));
    }

    @Test
    void rowsLiveInTheLockLeadersMemoryAndARestartedLeaderRebuildsThem() throws Exception {
        Map<String, String> ports = settings(TestNodes.freePort(), TestNodes.freePort(), TestNodes.freePort());
        ArbiterNode node = TestNodes.start(dataDir, ports);
        List<String> pks;
        String holder;
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            assertThat(node.fragments().map().lockOnly(0)).isTrue();
            assertClusterViewShowsTheLockOnlyFragment(node);
            pks = FragmentsTest.pksOwnedBy(node.fragments().slots(), DB, 0, 3, 1);
            Set<Integer> began = new HashSet<>();
            for (int i = 0; i < 9; i++) {
                began.add(FragmentsTest.fragmentOf(FragmentsTest.begin(tm)));
            }
            assertThat(began).containsExactlyInAnyOrder(1, 2);

            long appliedBefore = lockFragment(node).stateMachine().appliedCommands();
            MetricsText metricsBefore = MetricsText.scrape(node.httpPort());
            for (int round = 0; round < 20; round++) {
                String xid = FragmentsTest.begin(tm);
                assertThat(register(rm, xid, pks).resultCode()).isEqualTo(ResultCode.Success);
                assertThat(lockFragment(node).stateMachine().lockCount()).isEqualTo(3);
                GlobalCommitResponse commit = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(xid));
                assertThat(commit.globalStatus()).isIn(GlobalStatus.Committed, GlobalStatus.AsyncCommitting);
                // the end is answered once the rows in the lock fragment are free
                assertThat(lockFragment(node).stateMachine().lockCount()).isZero();
            }
            // one grant and one release per transaction, each sent alone (nothing else was on the way)
            MetricsText metricsAfter = MetricsText.scrape(node.httpPort());
            double calls = metricsAfter.sum("arbiter_lock_calls_total") - metricsBefore.sum("arbiter_lock_calls_total");
            assertThat(calls).isGreaterThanOrEqualTo(40);
            assertThat(metricsAfter.sum("arbiter_lock_call_batches_total")
                            - metricsBefore.sum("arbiter_lock_call_batches_total"))
                    .isPositive()
                    .isLessThanOrEqualTo(calls);
            // grants and releases made no Raft entry in the lock fragment (a housekeeping tick may have)
            assertThat(lockFragment(node).stateMachine().appliedCommands() - appliedBefore)
                    .isLessThan(20);

            // a lock-only fragment has no transactions and takes no begins, yet it is not retired: it is not emptied
            // and dropped (its slots handed over) once the drop grace has passed
            Thread.sleep(7_000); // FragmentOperations.DROP_GRACE_MS is 5 s
            assertThat(node.fragments().map().slots().owns(0)).isTrue();
            String late = FragmentsTest.begin(tm);
            assertThat(register(rm, late, pks).resultCode()).isEqualTo(ResultCode.Success);
            tm.call(new GlobalCommitRequest(late));

            holder = FragmentsTest.begin(tm);
            assertThat(register(rm, holder, pks).resultCode()).isEqualTo(ResultCode.Success);
            assertRowsHeld(tm, rm, pks);
        } finally {
            node.close();
        }

        node = TestNodes.start(dataDir, ports);
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            // the restarted leader grants only after it collected the holder's rows from its fragment
            assertRowsHeld(tm, rm, pks);
            assertThat(lockFragment(node).stateMachine().lockCount()).isEqualTo(3);
            GlobalCommitResponse commit = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(holder));
            assertThat(commit.globalStatus()).isIn(GlobalStatus.Committed, GlobalStatus.AsyncCommitting);
            String next = FragmentsTest.begin(tm);
            // a new RM connection: the one above was sent the phase two of the 21 transactions it never answered
            try (RawSeataClient freshRm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
                assertThat(register(freshRm, next, pks).resultCode()).isEqualTo(ResultCode.Success);
            }
        } finally {
            node.close();
        }
    }

    /** {@code bin/arbiter cluster} (its JSON and its table) marks fragment 0 as lock-only and no other. */
    private static void assertClusterViewShowsTheLockOnlyFragment(ArbiterNode node) throws Exception {
        String[] args = {"cluster", "--node", "127.0.0.1:" + node.httpPort()};
        JsonNode doc = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .ignoreExceptions() // 503 until placement ran its first round
                .until(
                        () -> new ObjectMapper().readTree(cli(args, "--json")),
                        d -> d.path("fragments").size() == 3);
        for (JsonNode f : doc.path("fragments")) {
            assertThat(f.path("lockOnly").asBoolean())
                    .as("fragment %s", f)
                    .isEqualTo(f.path("id").asInt() == 0);
        }
        assertThat(cli(args)).containsPattern("(?m)^0 +\\S+ +locks ").containsPattern("(?m)^1 +\\S+ +yes ");
    }

    private static String cli(String[] args, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        TestCli.Run run = TestCli.run(all);
        assertThat(run.status()).as("%s: %s", all, run.err()).isZero();
        return run.out();
    }

    /** Another transaction cannot take the rows and a lock query finds them held. */
    private static void assertRowsHeld(RawSeataClient tm, RawSeataClient rm, List<String> pks) throws Exception {
        String other = FragmentsTest.begin(tm);
        BranchRegisterResponse refused = register(rm, other, pks.subList(1, 2));
        assertThat(refused.resultCode()).isEqualTo(ResultCode.Failed);
        assertThat(refused.exceptionCode()).isEqualTo(TransactionExceptionCode.LockKeyConflict);
        GlobalLockQueryResponse query = (GlobalLockQueryResponse) rm.call(
                new GlobalLockQueryRequest(null, BranchType.AT, DB, FragmentsTest.lockKey(pks.subList(2, 3)), null));
        assertThat(query.lockable()).isFalse();
        tm.call(new GlobalRollbackRequest(other));
    }
}
