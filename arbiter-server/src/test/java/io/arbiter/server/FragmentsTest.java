package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.core.result.Result;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.SlotMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node with four fragments, over real sockets: begins spread over the fragments, row locks live in the fragment
 * owning their slot whatever the transaction's fragment, conflicts are seen across fragments, a branch whose rows
 * conflict anywhere holds none of them, ends release every fragment's rows, and the sweeper frees rows of
 * transactions that are over.
 */
class FragmentsTest {
    private static final String DB = "jdbc:postgresql://db/fragments";

    @TempDir
    static Path dataDir;

    static ArbiterNode node;

    @BeforeAll
    static void start() throws Exception {
        // lock slots in every fragment: the tests take rows owned by each of them
        node = TestNodes.start(dataDir, Map.of("arbiter.fragments", "4", "arbiter.lock-fragments", "4"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static RawSeataClient tm() throws Exception {
        return RawSeataClient.tm(node.port());
    }

    static RawSeataClient rm() throws Exception {
        return RawSeataClient.rm(node.port(), DB, "2.5.0");
    }

    static String begin(RawSeataClient tm) throws Exception {
        GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "tx"));
        assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
        return begin.xid();
    }

    static int fragmentOf(String xid) {
        return FragmentIds.fragmentOfId(Long.parseLong(xid.substring(xid.lastIndexOf(':') + 1)));
    }

    /** Primary keys of table t whose rows are owned by {@code fragment}, {@code n} of them, from {@code from}. */
    static List<String> pksOwnedBy(int fragment, int n, int from) {
        return pksOwnedBy(node.fragments().slots(), DB, fragment, n, from);
    }

    /** Primary keys of table t of resource {@code db} whose rows {@code slots} gives to {@code fragment}. */
    static List<String> pksOwnedBy(SlotMap slots, String db, int fragment, int n, int from) {
        List<String> pks = new ArrayList<>();
        for (int pk = from; pks.size() < n; pk++) {
            if (slots.ownerOf(LockKeys.rowKeys(db, "t:" + pk).get(0)) == fragment) {
                pks.add(String.valueOf(pk));
            }
        }
        return pks;
    }

    static String lockKey(List<String> pks) {
        return "t:" + String.join(",", pks);
    }

    static int locksHeld() {
        return node.fragments().all().stream()
                .mapToInt(f -> f.stateMachine().lockCount())
                .sum();
    }

    @Test
    void beginsAreSpreadOverTheFragmentsThisNodeLeads() throws Exception {
        try (RawSeataClient tm = tm()) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 16; i++) {
                seen.add(fragmentOf(begin(tm)));
            }
            assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3);
        }
    }

    @Test
    void conflictsAreSeenAcrossFragmentsAndEndsReleaseEveryFragmentsRows() throws Exception {
        try (RawSeataClient tm = tm();
                RawSeataClient rm = rm()) {
            String holder = begin(tm);
            List<String> held = IntStream.range(0, 4)
                    .mapToObj(f -> pksOwnedBy(f, 2, 1000).get(0))
                    .toList();
            BranchRegisterResponse ok = (BranchRegisterResponse)
                    rm.call(new BranchRegisterRequest(holder, BranchType.AT, DB, lockKey(held), null));
            assertThat(ok.resultCode()).isEqualTo(ResultCode.Success);
            assertThat(locksHeld()).isEqualTo(4);

            for (int attempt = 0; attempt < 4; attempt++) { // every other transaction's fragment sees every row
                String other = begin(tm);
                BranchRegisterResponse conflict = (BranchRegisterResponse) rm.call(
                        new BranchRegisterRequest(other, BranchType.AT, DB, lockKey(List.of(held.get(attempt))), null));
                assertThat(conflict.exceptionCode())
                        .as("row %s from %s", held.get(attempt), other)
                        .isEqualTo(TransactionExceptionCode.LockKeyConflict);
                assertThat(conflict.msg()).contains(holder);
                rm.call(new GlobalRollbackRequest(other));
            }
            GlobalLockQueryResponse query = (GlobalLockQueryResponse)
                    rm.call(new GlobalLockQueryRequest(null, BranchType.AT, DB, lockKey(held), null));
            assertThat(query.lockable()).isFalse();

            GlobalCommitResponse commit = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(holder));
            assertThat(commit.globalStatus()).isEqualTo(GlobalStatus.Committed);
            // as in Seata, the rows are free when the TM hears the outcome, in every fragment
            assertThat(locksHeld()).isZero();
            GlobalLockQueryResponse free = (GlobalLockQueryResponse)
                    rm.call(new GlobalLockQueryRequest(null, BranchType.AT, DB, lockKey(held), null));
            assertThat(free.lockable()).isTrue();
        }
    }

    @Test
    void aBranchThatConflictsAnywhereHoldsNoneOfItsRows() throws Exception {
        try (RawSeataClient tm = tm();
                RawSeataClient rm = rm()) {
            String holder = begin(tm);
            String contested = pksOwnedBy(3, 1, 5000).get(0);
            assertThat(((BranchRegisterResponse) rm.call(new BranchRegisterRequest(
                                    holder, BranchType.AT, DB, lockKey(List.of(contested)), null)))
                            .resultCode())
                    .isEqualTo(ResultCode.Success);

            String other = begin(tm);
            List<String> wanted = new ArrayList<>();
            for (int f = 0; f < 3; f++) {
                wanted.add(pksOwnedBy(f, 1, 5000).get(0));
            }
            wanted.add(contested);
            BranchRegisterResponse conflict = (BranchRegisterResponse)
                    rm.call(new BranchRegisterRequest(other, BranchType.AT, DB, lockKey(wanted), null));
            assertThat(conflict.exceptionCode()).isEqualTo(TransactionExceptionCode.LockKeyConflict);
            // only the holder's row stays held: the other rows this attempt took in fragments 0..2 were given back
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(locksHeld()).isEqualTo(1));
            GlobalLockQueryResponse query = (GlobalLockQueryResponse)
                    rm.call(new GlobalLockQueryRequest(null, BranchType.AT, DB, lockKey(wanted.subList(0, 3)), null));
            assertThat(query.lockable()).isTrue();

            tm.call(new GlobalRollbackRequest(other)); // no branch: ends at once
            GlobalCommitResponse end = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(holder));
            assertThat(end.globalStatus()).isEqualTo(GlobalStatus.Committed); // AT only: asynchronous
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(locksHeld()).isZero());
        }
    }

    @Test
    void theSweeperFreesRowsOfTransactionsThatAreOver() throws Exception {
        try (RawSeataClient tm = tm()) {
            String xid = begin(tm);
            long txId = Long.parseLong(xid.substring(xid.lastIndexOf(':') + 1));
            int own = fragmentOf(xid);
            int elsewhere = (own + 1) % 4;
            tm.call(new GlobalRollbackRequest(xid)); // over: nothing will ever release what follows but the sweeper
            Fragment lockFragment = node.fragments().local(elsewhere).orElseThrow();
            String row = LockKeys.rowKeys(DB, lockKey(pksOwnedBy(elsewhere, 1, 9000)))
                    .get(0);
            Result taken = lockFragment
                    .service()
                    .submit(new Command.AcquireLocks(txId, xid, DB, List.of(row), System.currentTimeMillis()))
                    .get(5, TimeUnit.SECONDS);
            assertThat(taken).isInstanceOf(Result.LocksTaken.class);
            assertThat(lockFragment.stateMachine().lockCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(lockFragment.stateMachine().lockCount()).isZero());
        }
    }
}
