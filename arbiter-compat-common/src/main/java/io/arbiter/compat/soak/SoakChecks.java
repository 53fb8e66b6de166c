package io.arbiter.compat.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccLedger.Call;
import io.arbiter.compat.db.Inventory;
import io.arbiter.compat.db.Schemas;
import io.arbiter.compat.ha.HaReport;
import io.arbiter.compat.ha.TxRecord;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The soak's end checks on top of {@code ha.Verification} (which covers AT, TCC, the nodes' live transactions and
 * locks, unique XIDs and catch-up), written into the same {@link HaReport}; a failed one is a problem there.
 * <ul>
 *   <li>XA: every acknowledged XA sale has its order row, no XID has two, {@code stock + sold} equals the stock
 *       put in, and no XA transaction is left prepared in PostgreSQL;</li>
 *   <li>decisions nobody asked for: no transaction the application did not ask to commit (rolled back on purpose,
 *       or failed before its commit) was applied — no AT or XA order row, no TCC branch committed;</li>
 *   <li>the console's view across all fragments: no live global transaction and no row lock.</li>
 * </ul>
 */
public final class SoakChecks {
    private SoakChecks() {}

    public static void xa(HaReport report, List<SoakTx> records, DataSource rawXa, long unitsPutIn, Duration settle)
            throws SQLException, InterruptedException {
        Set<String> orders = Inventory.orderXids(rawXa);
        List<String> lost = records.stream()
                .filter(r -> r.kind() == TxRecord.Kind.XA && r.ending() == SoakTx.Ending.COMMITTED)
                .map(SoakTx::xid)
                .filter(x -> !orders.contains(x))
                .toList();
        report.check("acknowledged XA sales whose order row is missing (lost or rolled back)", count(lost));
        lost.forEach(x -> report.problem("acknowledged XA sale " + x + " has no order row"));
        long duplicates = Inventory.duplicateOrderXids(rawXa);
        report.check("XA: XIDs with more than one order row", String.valueOf(duplicates));
        if (duplicates > 0) {
            report.problem(duplicates + " XIDs have more than one XA order row");
        }
        long stock = Inventory.unitsInStock(rawXa);
        long sold = Inventory.unitsSold(rawXa);
        boolean holds = stock + sold == unitsPutIn;
        report.check(
                "XA conservation: stock + sold = stock put in",
                (holds ? "holds: " : "BROKEN: ") + stock + " + " + sold + " = " + (stock + sold) + " (put in "
                        + unitsPutIn + ")");
        if (!holds) {
            report.problem("XA inventory conservation broken: " + stock + " + " + sold + " != " + unitsPutIn);
        }
        long deadline = System.nanoTime() + settle.toNanos();
        int prepared = Schemas.preparedXaTransactions(rawXa);
        while (prepared > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            prepared = Schemas.preparedXaTransactions(rawXa);
        }
        report.check("XA branches left prepared in PostgreSQL (pg_prepared_xacts)", String.valueOf(prepared));
        if (prepared > 0) {
            report.problem(prepared + " XA transactions are still prepared in PostgreSQL " + settle + " after the"
                    + " load stopped");
        }
    }

    /** No AT or XA order row and no TCC commit for a transaction whose commit the application never asked for. */
    public static void nothingAppliedUnasked(
            HaReport report, List<SoakTx> records, DataSource rawAt, DataSource rawXa, List<Call> calls)
            throws SQLException {
        Set<String> atOrders = Inventory.orderXids(rawAt);
        Set<String> xaOrders = Inventory.orderXids(rawXa);
        Set<String> tccCommitted = calls.stream()
                .filter(c -> c.phase() == TccLedger.Phase.COMMIT && !c.duplicate())
                .map(Call::tag)
                .collect(Collectors.toSet());
        List<SoakTx> unasked = records.stream()
                .filter(r -> r.xid() != null && !r.commitAsked())
                .toList();
        List<SoakTx> applied = unasked.stream()
                .filter(r -> switch (r.kind()) {
                    case AT -> atOrders.contains(r.xid());
                    case XA -> xaOrders.contains(r.xid());
                    case TCC -> tccCommitted.contains(r.tag());
                })
                .toList();
        long rolledBack = unasked.stream()
                .filter(r -> r.ending() == SoakTx.Ending.ROLLED_BACK)
                .count();
        report.check(
                "transactions never asked to commit (" + rolledBack + " rolled back on purpose, "
                        + (unasked.size() - rolledBack) + " failed before the commit) that were applied anyway",
                count(applied));
        applied.forEach(r -> report.problem(r.kind() + " " + r.xid() + " (" + r.tag() + ", "
                + (r.ending() == SoakTx.Ending.ROLLED_BACK ? "rolled back on purpose" : "failed at " + r.stage())
                + ") was applied: the application never asked to commit it"));
    }

    /** The console's queries over every fragment, on node {@code via}: no live transaction, no row lock. */
    public static void consoleEmpty(HaReport report, ClusterOps ops, int via) {
        Map<String, String> page = Map.of("pageNum", "1", "pageSize", "10", "withBranch", "true");
        for (String what : List.of("globalSession", "globalLock")) {
            String check = "console " + what + "/query over every fragment: total";
            try {
                JsonNode answer = ops.get(via, "/api/v1/console/" + what + "/query", page);
                int total = answer.path("total").asInt(-1);
                report.check(check, String.valueOf(total));
                if (total != 0) {
                    report.problem("the console lists " + total + " " + what + " entries after the run: "
                            + answer.path("data"));
                }
            } catch (Exception e) {
                report.check(check, "NO answer: " + e.getMessage());
                report.problem("console " + what + "/query did not answer: " + e.getMessage());
            }
        }
    }

    private static String count(List<?> list) {
        return String.valueOf(list.size());
    }
}
