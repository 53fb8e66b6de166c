package io.arbiter.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcCpuTest {

    @Test
    void readsUtimePlusStimeAfterTheCommandName() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 8 9 20 0 30 0 100 0 0";
        assertThat(ProcCpu.ticksFromStat(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String stat = "77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 10 20 0 0 20 0 1 0 5 0 0";
        assertThat(ProcCpu.ticksFromStat(stat)).isEqualTo(30);
    }

    @Test
    void tellsTheJitCompilerThreadsByTheirNames() {
        assertThat(ProcCpu.nameFromStat("9 (C2 CompilerThre) S 1 2 3")).isEqualTo("C2 CompilerThre");
        assertThat(ProcCpu.isJitCompiler("C2 CompilerThre")).isTrue();
        assertThat(ProcCpu.isJitCompiler("C1 CompilerThre")).isTrue();
        assertThat(ProcCpu.isJitCompiler("GC Thread#0")).isFalse();
        assertThat(ProcCpu.isJitCompiler("raft-server-io-")).isFalse();
    }

    @Test
    void theJitsSecondsCountEachCompilerThreadsOwnTicks() {
        Map<String, Long> before = Map.of("1/10", 100L, "1/11", 50L);
        Map<String, Long> after = Map.of("1/10", 160L, "1/12", 40L); // 11 ended, 12 started
        ProcCpu.Sample a = new ProcCpu.Sample(0, Set.of(1L), 1000, Map.of(1L, 1000L), before);
        ProcCpu.Sample b = new ProcCpu.Sample(1, Set.of(1L), 1500, Map.of(1L, 1500L), after);
        assertThat(b.jitSecondsSince(a)).isEqualTo((60 + 40) / (double) ProcCpu.ticksPerSecond());
    }

    @Test
    void findsThisJvmsJitCompilerThreadsOnLinux() {
        assumeTrue(ProcCpu.available());
        assertThat(ProcCpu.jitTicks(ProcessHandle.current().pid()))
                .as("HotSpot runs at least one compiler thread")
                .isNotEmpty();
    }

    @Test
    void rejectsWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcCpu.ticksFromStat("garbage")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcCpu.ticksFromStat("1 (x) S 1 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplesThisProcessOnLinux() {
        assumeTrue(ProcCpu.available());
        long self = ProcessHandle.current().pid();
        long spin = System.nanoTime() + 50_000_000L;
        double x = 0;
        while (System.nanoTime() < spin) {
            x += Math.sqrt(x + 1);
        }
        ProcCpu.Sample s = ProcCpu.sampleTree(List.of(self));
        assertThat(x).isPositive();
        assertThat(s.pids()).contains(self);
        assertThat(s.ticks()).isPositive();
        assertThat(ProcCpu.ticksPerSecond()).isPositive();
        assertThat(ProcCpu.ticks(Long.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void theBusiestShareCountsOnlyProcessesInBothSamples() {
        ProcCpu.Sample before =
                new ProcCpu.Sample(0, Set.of(1L, 2L, 3L), 600, Map.of(1L, 100L, 2L, 200L, 3L, 300L), Map.of());
        ProcCpu.Sample after =
                new ProcCpu.Sample(1, Set.of(1L, 2L, 4L), 0, Map.of(1L, 160L, 2L, 220L, 4L, 999L), Map.of());
        assertThat(after.busiestShareSince(before)).isEqualTo(0.75);
        assertThat(before.busiestShareSince(before)).isNull();
    }
}
