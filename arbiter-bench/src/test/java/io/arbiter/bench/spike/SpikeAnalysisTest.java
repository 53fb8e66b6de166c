package io.arbiter.bench.spike;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SpikeAnalysisTest {
    private static final long T0 = 1_800_000_000_000L; // a window boundary (multiple of 1000)
    private static final long W = 1000;

    /** A window holding {@code n} latencies of {@code fastUs} and {@code slow} latencies of {@code slowUs}. */
    private static SpikeAnalysis.Window window(int i, int n, long fastUs, int slow, long slowUs) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(fastUs, n);
        if (slow > 0) {
            h.recordValueWithCount(slowUs, slow);
        }
        return new SpikeAnalysis.Window(T0 + i * W, h, 0);
    }

    /** Snapshot whose write ran [start, end] in ms after T0. */
    private static SpikeAnalysis.Snapshot snap(long startOffset, long endOffset) {
        return new SpikeAnalysis.Snapshot(100, 1234, endOffset - startOffset, T0 + startOffset, T0 + endOffset, "log");
    }

    @Test
    void aWindowIsWithSnapshotWhenItOverlapsTheWriteOrTheCaptureMarginBeforeIt() {
        // write [2400, 2600]: windows 2 only; with a 500 ms margin the capture may start at 1900: windows 1 and 2
        List<SpikeAnalysis.Snapshot> s = List.of(snap(2400, 2600));
        assertThat(SpikeAnalysis.withSnapshot(T0 + 1000, W, s, 0)).isFalse();
        assertThat(SpikeAnalysis.withSnapshot(T0 + 2000, W, s, 0)).isTrue();
        assertThat(SpikeAnalysis.withSnapshot(T0 + 3000, W, s, 0)).isFalse();
        assertThat(SpikeAnalysis.withSnapshot(T0 + 1000, W, s, 500)).isTrue();
        assertThat(SpikeAnalysis.withSnapshot(T0, W, s, 500)).isFalse();
        // a write ending exactly at a window's start touches it; one ending just before does not
        assertThat(SpikeAnalysis.withSnapshot(T0 + 3000, W, List.of(snap(2900, 3000)), 0))
                .isTrue();
        assertThat(SpikeAnalysis.withSnapshot(T0 + 3000, W, List.of(snap(2900, 2999)), 0))
                .isFalse();
        // a write starting at the next window's start does not belong to this one
        assertThat(SpikeAnalysis.withSnapshot(T0 + 2000, W, List.of(snap(3000, 3100)), 0))
                .isFalse();
    }

    @Test
    void comparesTheMergedP99OfBothGroups() {
        List<SpikeAnalysis.Window> windows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // windows 3 and 7 overlap a snapshot and have 5% slow transactions (p99 lands on them)
            boolean spike = i == 3 || i == 7;
            windows.add(window(i, 950, 2_000, spike ? 50 : 0, 20_000));
        }
        List<SpikeAnalysis.Snapshot> snaps =
                List.of(snap(3100, 3300), snap(7500, 7600), snap(-5000, -4800) /* before the period: ignored */);

        SpikeAnalysis.Result r = SpikeAnalysis.analyze(windows, W, snaps, 50, 1.5);

        assertThat(r.snapshotsInPeriod()).hasSize(2);
        assertThat(r.windowsWith()).isEqualTo(2);
        assertThat(r.windowsWithout()).isEqualTo(8);
        assertThat(r.windowsEmpty()).isZero();
        assertThat(r.windows())
                .filteredOn(SpikeAnalysis.WindowSummary::withSnapshot)
                .extracting(w -> (w.startMs() - T0) / W)
                .containsExactly(3L, 7L);
        assertThat(r.transactionsWith()).isEqualTo(2000);
        assertThat(r.transactionsWithout()).isEqualTo(8 * 950);
        assertThat(r.p99WithMs()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(r.p99WithoutMs()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.ratio()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(r.worstWindowP99WithMs()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(r.worstWindowP99WithoutMs()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.transactions()).isEqualTo(9600);
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).contains("> 1.50×");
    }

    @Test
    void passesWhenTheGroupsAreAlike() {
        List<SpikeAnalysis.Window> windows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // the same distribution in every window, snapshot or not
            windows.add(window(i, 990, 2_000, 10, 3_000));
        }
        SpikeAnalysis.Result r = SpikeAnalysis.analyze(windows, W, List.of(snap(1200, 1400)), 0, 1.5);
        assertThat(r.windowsWith()).isEqualTo(1);
        assertThat(r.windowsWithout()).isEqualTo(5);
        assertThat(r.ratio()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.ok()).isTrue();
        assertThat(r.failure()).isNull();
        assertThat(r.withProblem("3 errors").ok()).isFalse();
    }

    @Test
    void withoutASnapshotInThePeriodTheMeasurementIsInvalidNeverOk() {
        List<SpikeAnalysis.Window> windows = List.of(window(0, 100, 1_000, 0, 0), window(1, 100, 1_000, 0, 0));
        SpikeAnalysis.Result r = SpikeAnalysis.analyze(windows, W, List.of(snap(5000, 5100)), 250, 1.5);
        assertThat(r.snapshotsInPeriod()).isEmpty();
        assertThat(r.windowsWith()).isZero();
        assertThat(r.ratio()).isNull();
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).contains("no snapshot");
    }

    @Test
    void everyWindowWithASnapshotIsInvalidAndEmptyWindowsAreCounted() {
        List<SpikeAnalysis.Window> windows =
                List.of(window(0, 100, 1_000, 0, 0), new SpikeAnalysis.Window(T0 + W, new Histogram(3), 4));
        SpikeAnalysis.Result r = SpikeAnalysis.analyze(windows, W, List.of(snap(500, 1500)), 0, 1.5);
        assertThat(r.windowsWith()).isEqualTo(2);
        assertThat(r.windowsEmpty()).isEqualTo(1);
        assertThat(r.errors()).isEqualTo(4);
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).contains("every window overlaps");
    }

    @Test
    void parsesTheNodesSnapshotLineIntoTheWriteInterval() {
        ZoneId zone = ZoneOffset.UTC;
        long observed =
                ZonedDateTime.of(2026, 11, 22, 15, 30, 12, 0, zone).toInstant().toEpochMilli();
        // the launcher's first line carries terminal escapes before the timestamp
        String line = "\u001b[0m15:30:11.950 INFO  [arbiter-snapshot-x] i.a.r.r.AsyncSnapshotter - wrote snapshot "
                + "at index 4242 (17700000 bytes) in 320 ms";
        SpikeAnalysis.Snapshot s =
                SnapshotWatcher.parseLogLine(line, observed, zone).orElseThrow();
        assertThat(s.index()).isEqualTo(4242);
        assertThat(s.bytes()).isEqualTo(17_700_000);
        assertThat(s.writeMs()).isEqualTo(320);
        assertThat(s.writeEndMs()).isEqualTo(observed - 50);
        assertThat(s.writeStartMs()).isEqualTo(observed - 50 - 320);
        assertThat(s.source()).isEqualTo("log");
        assertThat(SnapshotWatcher.parseLogLine("15:30:11.950 INFO  [main] x - started", observed, zone))
                .isEmpty();
    }

    @Test
    void aLogTimeJustBeforeMidnightReadJustAfterBelongsToThePreviousDay() {
        ZoneId zone = ZoneOffset.UTC;
        long observed = ZonedDateTime.of(2026, 11, 23, 0, 0, 0, 200_000_000, zone)
                .toInstant()
                .toEpochMilli();
        long resolved = SnapshotWatcher.resolve(LocalTime.of(23, 59, 59, 900_000_000), observed, zone);
        assertThat(observed - resolved).isEqualTo(300);
        // a line whose time is far from when it was read (another time zone): the read time is used instead
        SpikeAnalysis.Snapshot s = SnapshotWatcher.parseLogLine(
                        "03:00:00.000 INFO [t] x - wrote snapshot at index 1 (10 bytes) in 5 ms", observed, zone)
                .orElseThrow();
        assertThat(s.writeEndMs()).isEqualTo(observed);
        assertThat(s.source()).isEqualTo("log-read-time");
    }
}
