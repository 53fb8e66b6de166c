package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.core.lock.LockKeys;
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
import io.arbiter.server.fragment.FragmentIds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retiring a fragment that owns lock slots (one node, four fragments, real sockets): once it is empty its slots
 * move to another fragment together with the rows it holds for other fragments' transactions, and it is dropped.
 * Rows held across the move stay held (a conflicting register and a lock query see them), registers going on
 * meanwhile all succeed, and the ends release the moved rows ({@code docs/LOCKS.md} "Moving slots").
 */
class SlotHandOverTest {
    private static final String DB = "jdbc:postgresql://db/handover";
    private static final int RETIRED = 2;

    @TempDir
    Path dataDir;

    private ArbiterNode node;

    @BeforeEach
    void start() throws Exception {
        // placement off: this is about the operator's retire (the load below would make it add fragments)
        node = TestNodes.start(
                dataDir,
                Map.of("arbiter.fragments", "4", "arbiter.lock-fragments", "4", "arbiter.placement.enabled", "false"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawSeataClient tm() throws Exception {
        return RawSeataClient.tm(node.port());
    }

    private RawSeataClient rm() throws Exception {
        return RawSeataClient.rm(node.port(), DB, "2.5.0");
    }

    private static int fragmentOf(String xid) {
        return FragmentIds.fragmentOfId(Long.parseLong(xid.substring(xid.lastIndexOf(':') + 1)));
    }

    /** A transaction of fragment {@code fragment} (others begun on the way are rolled back). */
    private static String beginIn(RawSeataClient tm, int fragment) throws Exception {
        for (int i = 0; i < 100; i++) {
            GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "tx"));
            assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
            if (fragmentOf(begin.xid()) == fragment) {
                return begin.xid();
            }
            tm.call(new GlobalRollbackRequest(begin.xid()));
        }
        throw new AssertionError("no begin landed in fragment " + fragment);
    }

    private List<String> pksOwnedBy(int fragment, int n, int from) {
        return FragmentsTest.pksOwnedBy(node.fragments().slots(), DB, fragment, n, from);
    }

    private static String lockKey(List<String> pks) {
        return "t:" + String.join(",", pks);
    }

    private static BranchRegisterResponse register(RawSeataClient rm, String xid, List<String> pks) throws Exception {
        return (BranchRegisterResponse) rm.call(new BranchRegisterRequest(xid, BranchType.AT, DB, lockKey(pks), null));
    }

    @Test
    void aRetiredFragmentHandsItsSlotsAndHeldRowsOverAndIsDropped() throws Exception {
        String ownHolder;
        String foreignHolder;
        List<String> moving = pksOwnedBy(RETIRED, 4, 100);
        try (RawSeataClient tm = tm();
                RawSeataClient rm = rm()) {
            // fragment 0 takes the slots (the fewest among those taking transactions, then the lowest id): one holder
            // is a transaction of the new owner, the other of a third fragment
            ownHolder = beginIn(tm, 0);
            foreignHolder = beginIn(tm, 3);
            assertThat(register(rm, ownHolder, moving.subList(0, 2)).resultCode())
                    .isEqualTo(ResultCode.Success);
            assertThat(register(rm, foreignHolder, moving.subList(2, 4)).resultCode())
                    .isEqualTo(ResultCode.Success);
            assertThat(node.fragments()
                            .local(RETIRED)
                            .orElseThrow()
                            .stateMachine()
                            .lockCount())
                    .isEqualTo(4);
        }

        // registers on rows of the retired fragment's slots go on while it retires and hands them over
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger registered = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<String> loadRows = pksOwnedBy(RETIRED, 5_000, 100_000); // the rows' slots as they were
        Thread load = new Thread(() -> {
            try (RawSeataClient ltm = tm();
                    RawSeataClient lrm = rm()) {
                int next = 0;
                while (loading.get()) {
                    GlobalBeginResponse b = (GlobalBeginResponse) ltm.call(new GlobalBeginRequest(60_000, "load"));
                    if (fragmentOf(b.xid()) == RETIRED) { // before the retirement: no branch, so it ends at once
                        ltm.call(new GlobalRollbackRequest(b.xid()));
                        continue;
                    }
                    List<String> pk = List.of(loadRows.get(next++ % loadRows.size()));
                    // left open (this raw RM answers no phase two): the rows stay held, and the move must keep them
                    BranchRegisterResponse r = register(lrm, b.xid(), pk);
                    if (r.resultCode() == ResultCode.Success) {
                        registered.incrementAndGet();
                    } else {
                        failures.add(b.xid() + ": " + r.exceptionCode() + " " + r.msg());
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                failures.add(e.toString());
            }
        });
        load.start();
        try {
            node.operations().retire(RETIRED).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> node.fragments().map().fragment(RETIRED).isEmpty());
            Thread.sleep(500); // registers after the drop too
        } finally {
            loading.set(false);
            load.join(30_000);
        }
        assertThat(load.isAlive()).isFalse();
        assertThat(failures).isEmpty();
        assertThat(registered.get()).isPositive();
        // new connections: the first ones were idle longer than the node's read-idle close
        try (RawSeataClient tm = tm();
                RawSeataClient rm = rm()) {

            int newOwner = node.fragments()
                    .slots()
                    .ownerOf(LockKeys.rowKeys(DB, "t:" + moving.get(0)).get(0));
            assertThat(newOwner).isZero();
            assertThat(node.fragments().slots().owns(RETIRED)).isFalse();
            // the rows held across the move are still held, by their transactions, in the new owner
            for (String pk : moving) {
                String other = beginIn(tm, 1);
                BranchRegisterResponse conflict = register(rm, other, List.of(pk));
                assertThat(conflict.exceptionCode())
                        .as("row %s", pk)
                        .isEqualTo(TransactionExceptionCode.LockKeyConflict);
                assertThat(conflict.msg()).contains(moving.indexOf(pk) < 2 ? ownHolder : foreignHolder);
                tm.call(new GlobalRollbackRequest(other));
            }
            GlobalLockQueryResponse query = (GlobalLockQueryResponse)
                    rm.call(new GlobalLockQueryRequest(null, BranchType.AT, DB, lockKey(moving), null));
            assertThat(query.lockable()).isFalse();

            for (String holder : List.of(ownHolder, foreignHolder)) {
                GlobalCommitResponse commit = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(holder));
                assertThat(commit.globalStatus()).isEqualTo(GlobalStatus.Committed);
            }
            // AT: the rows go at the commit, wherever they are
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(((GlobalLockQueryResponse) rm.call(
                                            new GlobalLockQueryRequest(null, BranchType.AT, DB, lockKey(moving), null)))
                                    .lockable())
                            .isTrue());
            String next = beginIn(tm, 1);
            assertThat(register(rm, next, moving).resultCode())
                    .as("the moved rows are free again")
                    .isEqualTo(ResultCode.Success);
        }
    }
}
