package io.arbiter.compat.ha;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccLedger.Call;
import io.arbiter.compat.db.Inventory;
import io.arbiter.compat.server.Health;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The end-of-run checks shared by the failover and partition scenarios, run with the load stopped and every node
 * up. Each check is written into the {@link HaReport}; a failed one becomes a problem there.
 * <ol>
 *   <li>Quiescence: within {@code settle}, every node reports 0 live transactions and 0 locks, no undo_log row is
 *       left (every AT branch committed or rolled back), and every TCC branch that ran its try got its phase
 *       two.</li>
 *   <li>No lost decision: every acknowledged AT sale has its order row (an AT rollback would have removed it),
 *       every acknowledged TCC transaction had each branch committed exactly once and never rolled back.</li>
 *   <li>Conservation: {@code sum(stock) + sum(orders)} equals the stock put in, exactly.</li>
 *   <li>No XID handed out twice (a begin retried during an election must not create a second transaction).</li>
 *   <li>Catch-up: with a few transactions held open, every node's replica shows exactly them (so every node,
 *       including those killed and restarted, applies the log up to now); after their commit every node shows 0.</li>
 * </ol>
 */
public final class Verification {
    private Verification() {}

    public static void run(
            HaReport report,
            ArbiterCluster cluster,
            CompatClient client,
            DataSource raw,
            long unitsPutIn,
            Duration settle)
            throws Exception {
        quiescence(report, cluster, raw, settle);
        noLostDecision(report, raw);
        conservation(report, raw, unitsPutIn);
        uniqueXids(report);
        catchUp(report, cluster, client);
    }

    /**
     * The checks of {@link #run} but the catch-up check, for a cluster whose nodes hold different fragments (with
     * placement, a node holds only its share, so no node sees every open transaction).
     */
    public static void runOnPlacedCluster(
            HaReport report, ArbiterCluster cluster, DataSource raw, long unitsPutIn, Duration settle)
            throws Exception {
        quiescence(report, cluster, raw, settle);
        noLostDecision(report, raw);
        conservation(report, raw, unitsPutIn);
        uniqueXids(report);
    }

    static void quiescence(HaReport report, ArbiterCluster cluster, DataSource raw, Duration settle) throws Exception {
        long start = System.nanoTime();
        long deadline = start + settle.toNanos();
        String last = "";
        while (true) {
            List<Optional<Health.Report>> health = cluster.health();
            long undo = Inventory.undoLogRows(raw);
            long unfinished = unfinishedTccBranches(TccLedger.get().allCalls());
            boolean idle = health.stream()
                    .allMatch(h ->
                            h.map(r -> r.transactions() == 0 && r.locks() == 0).orElse(false));
            last = "nodes " + describe(health) + ", undo_log rows " + undo + ", TCC branches without phase two "
                    + unfinished;
            if (idle && undo == 0 && unfinished == 0) {
                report.check(
                        "every branch final, every node idle",
                        "yes, " + HaReport.ms(System.nanoTime() - start) + " after the load stopped");
                return;
            }
            if (System.nanoTime() > deadline) {
                report.check("every branch final, every node idle", "NO after " + settle + ": " + last);
                report.problem("not quiescent " + settle + " after the load stopped: " + last);
                for (String row : Inventory.undoLogSample(raw, 10)) {
                    String xid = row.substring(0, row.indexOf('/'));
                    String seen = report.records().stream()
                            .filter(r -> xid.equals(r.xid()))
                            .findFirst()
                            .map(r -> r.kind() + " " + r.outcome() + " stage " + r.stage() + " error " + r.error())
                            .orElse("not a workload transaction");
                    report.problem("undo_log row left: " + row + "; the application saw: " + seen);
                }
                return;
            }
            Thread.sleep(250);
        }
    }

    static void noLostDecision(HaReport report, DataSource raw) throws SQLException {
        Set<String> orders = Inventory.orderXids(raw);
        List<TxRecord> records = report.records();
        List<String> lostAt = records.stream()
                .filter(r -> r.kind() == TxRecord.Kind.AT && r.committed() && !orders.contains(r.xid()))
                .map(TxRecord::xid)
                .toList();
        long failedButApplied = records.stream()
                .filter(r ->
                        r.kind() == TxRecord.Kind.AT && !r.committed() && r.xid() != null && orders.contains(r.xid()))
                .count();
        long duplicates = Inventory.duplicateOrderXids(raw);
        Ledgers.Counts counts = new Ledgers.Counts();
        List<String> tccProblems = Ledgers.check(records, TccLedger.get().allCalls(), counts);
        report.check(
                "acknowledged AT sales whose order row is missing (lost or rolled back)",
                String.valueOf(lostAt.size()));
        report.check(
                "acknowledged TCC branches not committed exactly once, or rolled back", String.valueOf(counts.lost));
        report.check(
                "TCC ledger problems (unfinished, both phases, phase two done more than once)",
                String.valueOf(tccProblems.size()));
        report.check(
                "TCC phase-two calls repeated after the branch's phase two succeeded (at-least-once delivery"
                        + " across a failover; the participant marks them and answers idempotently)",
                String.valueOf(counts.duplicatePhaseTwo));
        report.check("TCC empty rollbacks (branch registered, try never ran)", String.valueOf(counts.emptyRollbacks));
        report.check(
                "failed AT sales that were applied anyway (the application was told failure)",
                String.valueOf(failedButApplied));
        report.check(
                "failed TCC transactions whose branches were committed anyway",
                String.valueOf(counts.failedButCommitted));
        report.check("XIDs with more than one order row", String.valueOf(duplicates));
        report.check(
                "AT rollback guards (undo_log status 1: branch registered, local work rolled back, then"
                        + " rolled back by the TC)",
                String.valueOf(Inventory.rollbackGuardRows(raw)));
        lostAt.forEach(x -> report.problem("acknowledged AT sale " + x + " has no order row"));
        tccProblems.forEach(report::problem);
        if (duplicates > 0) {
            report.problem(duplicates + " XIDs have more than one order row");
        }
    }

    static void conservation(HaReport report, DataSource raw, long unitsPutIn) throws SQLException {
        long stock = Inventory.unitsInStock(raw);
        long sold = Inventory.unitsSold(raw);
        boolean holds = stock + sold == unitsPutIn;
        report.check(
                "conservation: stock + sold = stock put in",
                (holds ? "holds: " : "BROKEN: ") + stock + " + " + sold + " = " + (stock + sold) + " (put in "
                        + unitsPutIn + ")");
        if (!holds) {
            report.problem("inventory conservation broken: " + stock + " + " + sold + " != " + unitsPutIn);
        }
    }

    static void uniqueXids(HaReport report) {
        Map<String, Long> seen = report.records().stream()
                .filter(r -> r.xid() != null)
                .collect(Collectors.groupingBy(TxRecord::xid, Collectors.counting()));
        List<String> twice = seen.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList();
        report.check("XIDs handed out to more than one begin", String.valueOf(twice.size()));
        twice.forEach(x -> report.problem("XID " + x + " was handed out to more than one begin"));
    }

    /** Holds {@code n} transactions open and waits until every node's replica shows exactly them. */
    static void catchUp(HaReport report, ArbiterCluster cluster, CompatClient client) throws Exception {
        int n = 3;
        List<GlobalTx> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GlobalTx tx = client.begin("ha-catch-up", 60_000);
            client.tcc().tryA("catch-up-" + i);
            tx.suspend();
            held.add(tx);
        }
        String seen = awaitAllNodes(cluster, n, Duration.ofSeconds(30));
        boolean ok = seen == null;
        for (GlobalTx tx : held) {
            tx.commit();
        }
        String after = awaitAllNodes(cluster, 0, Duration.ofSeconds(30));
        report.check(
                "catch-up: " + n + " open transactions visible on every node, then 0 after commit",
                ok && after == null
                        ? "yes"
                        : "NO: " + (ok ? "" : "with " + n + " open: " + seen + "; ")
                                + (after == null ? "" : "after commit: " + after));
        if (!ok || after != null) {
            report.problem("a node did not catch up: " + (ok ? "" : "with " + n + " open: " + seen + "; ")
                    + (after == null ? "" : "after commit: " + after));
        }
    }

    /** Null once every node reports {@code transactions} live transactions; else what they reported last. */
    private static String awaitAllNodes(ArbiterCluster cluster, int transactions, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        do {
            List<Optional<Health.Report>> health = cluster.health();
            if (health.stream()
                    .allMatch(h -> h.map(r -> r.transactions() == transactions).orElse(false))) {
                return null;
            }
            last = describe(health);
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return last;
    }

    static String describe(List<Optional<Health.Report>> health) {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < health.size(); k++) {
            parts.add("node-" + k + "="
                    + health.get(k)
                            .map(r -> r.role() + "/" + r.transactions() + "tx/" + r.locks() + "locks")
                            .orElse("down"));
        }
        return String.join(" ", parts);
    }

    /** TCC branches (tag × action) that ran their try and have no commit or rollback yet. */
    static long unfinishedTccBranches(List<Call> calls) {
        Map<String, int[]> perBranch = new HashMap<>();
        for (Call c : calls) {
            if (c.tag() == null || !c.tag().startsWith("ha-")) {
                continue;
            }
            int[] n = perBranch.computeIfAbsent(c.tag() + "|" + c.action(), k -> new int[2]);
            n[c.phase() == TccLedger.Phase.TRY ? 0 : 1]++;
        }
        return perBranch.values().stream().filter(n -> n[0] > 0 && n[1] == 0).count();
    }
}
