package io.arbiter.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.Coordinator;
import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshots written by earlier versions stay readable, and the current version's bytes are pinned
 * ({@code golden/coordinator-snapshot-v8.bin}, the state built by {@link #version8State}: a change of the format
 * fails here until it gets a new version). {@code golden/coordinator-snapshot-v3.bin} was written by
 * the version-3 code (fragment 5, times from 1_700_000_000_000): transaction a (Begin, two AT branches: rows
 * stock 1, 2, orders 7, then stock 3; registered with request ids (11,1) and (11,2)), transaction b (Rollbacking:
 * a TCC branch, then an AT branch on stock 9, not yet rolled back), transaction d (empty, committed: ended).
 */
class SnapshotGoldenTest {
    private static final String A = "10.0.0.1:8091:1434574883553280";
    private static final String B = "10.0.0.1:8091:1434574883553328";
    private static final String D = "10.0.0.1:8091:1434574883553408";

    private static CoordinatorSnapshot read(String resource) throws IOException {
        try (InputStream in = SnapshotGoldenTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return SnapshotCodec.read(in);
        }
    }

    @Test
    void aVersion3SnapshotIsStillRead() throws IOException {
        CoordinatorSnapshot snapshot = read("/golden/coordinator-snapshot-v3.bin");
        assertThat(snapshot.fragmentId()).isEqualTo(5);
        List<GlobalTransaction> txs = snapshot.transactions().stream()
                .sorted(Comparator.comparingLong(GlobalTransaction::transactionId))
                .toList();
        assertThat(txs).extracting(GlobalTransaction::xid).containsExactly(A, B);
        assertThat(txs)
                .extracting(GlobalTransaction::status)
                .containsExactly(GlobalStatus.Begin, GlobalStatus.Rollbacking);
        GlobalTransaction a = txs.get(0);
        assertThat(a.name()).isEqualTo("tx-a");
        assertThat(a.timeoutMillis()).isEqualTo(60_000);
        assertThat(a.branches()).extracting(Branch::type).containsExactly(BranchType.AT, BranchType.AT);
        assertThat(a.branches().iterator().next().rowKeys())
                .containsExactly("jdbc:pg/db^^^stock^^^1", "jdbc:pg/db^^^stock^^^2", "jdbc:pg/db^^^orders^^^7");
        assertThat(txs.get(1).branches()).extracting(Branch::type).containsExactly(BranchType.TCC, BranchType.AT);
        assertThat(snapshot.answers()).containsKeys(new RequestId(11, 1), new RequestId(11, 2));
        assertThat(snapshot.answers().get(new RequestId(11, 1))).isEqualTo(new Result.Began(A));
        assertThat(snapshot.ended()).containsEntry(1434574883553408L, GlobalStatus.Committed);

        Coordinator restored = Coordinator.restore(snapshot, CoordinatorSettings.defaults());
        assertThat(restored.lockCount()).isEqualTo(5);
        assertThat(restored.lockHolder("jdbc:pg/db^^^stock^^^3")).isEqualTo(a.transactionId());
        assertThat(restored.lockHolder("jdbc:pg/db^^^stock^^^9"))
                .isEqualTo(txs.get(1).transactionId());
        assertThat(restored.apply(new Command.Commit(D, 1_700_000_001_000L)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Committed));
    }

    /** Fragment 5: a foreign holder of fragment 2 and a transaction whose AT branch has rows in fragments 3 and 7. */
    private static Coordinator version4State() {
        Coordinator c = new Coordinator(5, new CoordinatorSettings(100, 800, 1_000, 5_000, 5_000));
        long t = 1_700_000_000_000L;
        long foreign = (2L << 48) | 12_345;
        c.apply(new Command.AcquireLocks(
                foreign,
                "10.0.0.2:8091:" + foreign,
                "jdbc:pg/db",
                List.of("jdbc:pg/db^^^stock^^^5", "jdbc:pg/db^^^stock^^^\u00e9"),
                t));
        String a = ((Result.Began) c.apply(new Command.Begin("10.0.0.1:8091", "app", "grp", "tx-a", 60_000, t))
                        .result())
                .xid();
        c.apply(new Command.RegisterBranch(
                a,
                BranchType.AT,
                "jdbc:pg/db",
                "stock:1,2,3",
                "{}",
                "app:1.2.3.4:5",
                t + 1,
                List.of(7, 3),
                List.of("jdbc:pg/db^^^stock^^^2", "jdbc:pg/db^^^stock^^^3")));
        return c;
    }

    /** The version-4 state plus a TCC transaction whose commit retries an operator stopped. */
    private static Coordinator version5State() {
        Coordinator c = version4State();
        long t = 1_700_000_000_000L;
        String s = ((Result.Began) c.apply(new Command.Begin("10.0.0.1:8091", "app", "grp", "tx-s", 60_000, t + 2))
                        .result())
                .xid();
        long branch = ((Result.BranchRegistered) c.apply(new Command.RegisterBranch(
                                s, BranchType.TCC, "tcc-res", null, null, "app:1.2.3.4:5", t + 3))
                        .result())
                .branchId();
        c.apply(new Command.Commit(s, t + 4));
        c.apply(new Command.BranchOutcome(s, branch, true, null, t + 5));
        c.apply(new Command.StopRetry(s, 0));
        return c;
    }

    @Test
    void aVersion5SnapshotIsStillRead() throws IOException {
        CoordinatorSnapshot snapshot = read("/golden/coordinator-snapshot-v5.bin");
        assertThat(snapshot.atResources()).isEmpty();
        List<GlobalTransaction> txs = snapshot.transactions().stream()
                .sorted(Comparator.comparingLong(GlobalTransaction::transactionId))
                .toList();
        assertThat(txs).extracting(GlobalTransaction::retryStopped).containsExactly(false, true);
        assertThat(txs.get(1).status()).isEqualTo(GlobalStatus.CommitRetrying);
        Coordinator restored = Coordinator.restore(snapshot, CoordinatorSettings.defaults());
        assertThat(restored.nextDue())
                .as("stopped: no retry timer; the other one times out")
                .isEqualTo(txs.get(0).expiresAt());
    }

    /** The version-5 state plus a second AT resource's branch (AT resources with their latest registration). */
    private static Coordinator version6State() {
        Coordinator c = version5State();
        long t = 1_700_000_000_000L;
        String o = ((Result.Began) c.apply(new Command.Begin("10.0.0.1:8091", "app", "grp", "tx-o", 60_000, t + 6))
                        .result())
                .xid();
        c.apply(new Command.RegisterBranch(
                o, BranchType.AT, "jdbc:pg/orders", "orders:9", null, "app:1.2.3.4:5", t + 7));
        return c;
    }

    /** The version-6 state after the fragment handed its lock slots over. */
    private static Coordinator version7State() {
        Coordinator c = version6State();
        c.apply(new Command.HandOverLocks());
        return c;
    }

    /** The version-7 state after lock-only fragments 0 and 2 fenced off their grants below terms 4 and 9. */
    private static Coordinator version8State() {
        Coordinator c = version7State();
        java.util.BitSet slots = new java.util.BitSet();
        slots.set(0, 8);
        c.apply(new Command.FenceAndList(2, 9, slots));
        c.apply(new Command.FenceAndList(0, 4, slots));
        c.apply(new Command.FenceAndList(2, 3, slots)); // a fence never goes down
        return c;
    }

    @Test
    void theVersion8FormatIsPinned() throws IOException {
        ByteArrayOutputStream now = new ByteArrayOutputStream();
        SnapshotCodec.write(version8State().snapshot(), now);
        if (Boolean.getBoolean("arbiter.writeGolden")) {
            java.nio.file.Files.write(java.nio.file.Path.of("target/coordinator-snapshot-v8.bin"), now.toByteArray());
        }
        byte[] golden;
        try (InputStream in = SnapshotGoldenTest.class.getResourceAsStream("/golden/coordinator-snapshot-v8.bin")) {
            assertThat(in).isNotNull();
            golden = in.readAllBytes();
        }
        assertThat(now.toByteArray()).isEqualTo(golden);
        CoordinatorSnapshot snapshot = read("/golden/coordinator-snapshot-v8.bin");
        assertThat(snapshot.lockFences()).containsExactly(java.util.Map.entry(0, 4L), java.util.Map.entry(2, 9L));
        assertThat(Coordinator.restore(snapshot, CoordinatorSettings.defaults())
                        .snapshot()
                        .lockFences())
                .isEqualTo(snapshot.lockFences());
    }

    @Test
    void aVersion7SnapshotIsStillRead() throws IOException {
        CoordinatorSnapshot snapshot = read("/golden/coordinator-snapshot-v7.bin");
        assertThat(snapshot.locksHandedOver()).isTrue();
        assertThat(snapshot.lockFences()).isEmpty();
        Coordinator restored = Coordinator.restore(snapshot, CoordinatorSettings.defaults());
        long foreign = (2L << 48) | 99;
        assertThat(restored.apply(new Command.AcquireLocks(
                                foreign, "10.0.0.2:8091:" + foreign, "jdbc:pg/db", List.of("jdbc:pg/db^^^t^^^1"), 1))
                        .result())
                .isInstanceOfSatisfying(
                        Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockSlotsMoved));
    }

    @Test
    void aVersion6SnapshotIsStillRead() throws IOException {
        CoordinatorSnapshot snapshot = read("/golden/coordinator-snapshot-v6.bin");
        assertThat(snapshot.atResources())
                .containsExactly(
                        java.util.Map.entry("jdbc:pg/db", 1_700_000_000_001L),
                        java.util.Map.entry("jdbc:pg/orders", 1_700_000_000_007L));
        assertThat(snapshot.locksHandedOver()).isFalse();
        assertThat(Coordinator.restore(snapshot, CoordinatorSettings.defaults()).atResources())
                .isEqualTo(snapshot.atResources());
    }

    @Test
    void aVersion4SnapshotIsStillRead() throws IOException {
        CoordinatorSnapshot snapshot = read("/golden/coordinator-snapshot-v4.bin");
        assertThat(snapshot.transactions())
                .extracting(GlobalTransaction::retryStopped)
                .containsExactly(false);
        assertThat(snapshot.foreignHolders()).singleElement().satisfies(h -> {
            assertThat(h.xid()).isEqualTo("10.0.0.2:8091:" + ((2L << 48) | 12_345));
            assertThat(h.lastAcquiredAt()).isEqualTo(1_700_000_000_000L);
            assertThat(h.rows()).containsExactly("jdbc:pg/db^^^stock^^^5", "jdbc:pg/db^^^stock^^^\u00e9");
        });
        Branch branch = snapshot.transactions().get(0).branches().iterator().next();
        assertThat(branch.rowKeys()).containsExactly("jdbc:pg/db^^^stock^^^1");
        assertThat(branch.remoteFragments()).containsExactly(3, 7);
        assertThat(branch.remoteRows()).containsExactly("jdbc:pg/db^^^stock^^^2", "jdbc:pg/db^^^stock^^^3");
        assertThat(Coordinator.restore(snapshot, CoordinatorSettings.defaults()).lockCount())
                .isEqualTo(3);
    }
}
