package io.arbiter.compat.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HaReportTest {
    private static final long S = 1_000_000_000L;

    private static TxRecord tx(int worker, double start, double end, boolean committed) {
        return new TxRecord(
                TxRecord.Kind.TCC,
                worker,
                "127.0.0.1:8091:" + (long) (start * 1000),
                "ha-x",
                (long) (start * S),
                (long) (start * S),
                (long) (end * S),
                committed ? TxRecord.Outcome.COMMITTED : TxRecord.Outcome.FAILED,
                committed ? null : "begin",
                null,
                committed ? null : "boom");
    }

    @Test
    void workerStallLastsUntilEveryWorkerCommittedATransactionBegunAfterTheKill() {
        // kill at 10 s: worker 0 is blocked in a transaction until 25 s, worker 1 fails once then commits at 12 s
        List<TxRecord> records = List.of(
                tx(0, 9.9, 25, false),
                tx(0, 25, 25.1, true),
                tx(1, 10.1, 10.2, false),
                tx(1, 10.3, 12, true),
                tx(-1, 10.0, 11, true));
        HaReport report = new HaReport("t", new Timeline(), records, 2);
        assertThat(report.pauseAfter(10 * S)).isEqualTo((long) (15.1 * S));
        assertThat(report.failures()).hasSize(2); // the probe (worker < 0) is not part of the workload
    }

    @Test
    void percentiles() {
        assertThat(HaReport.percentile(List.of(1L, 2L, 3L, 4L), 50)).isEqualTo(2L);
        assertThat(HaReport.percentile(List.of(1L, 2L, 3L, 4L), 100)).isEqualTo(4L);
        assertThat(HaReport.percentile(List.of(), 50)).isZero();
    }
}
