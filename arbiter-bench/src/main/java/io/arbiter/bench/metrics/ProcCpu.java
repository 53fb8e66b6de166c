package io.arbiter.bench.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of processes from {@code /proc/<pid>/stat}: {@code utime + stime} (fields 14 and 15, in clock ticks,
 * all threads of the process). {@link #sampleTree} adds every live descendant, so a launcher that forks node JVMs
 * (Arbiter's {@code local-cluster}) is measured with its nodes. Ticks become seconds through
 * {@code getconf CLK_TCK} (100 on practically every Linux).
 */
public final class ProcCpu {
    private static volatile long ticksPerSecond;

    private ProcCpu() {}

    /** Whether this machine has a readable {@code /proc/self/stat}. */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** {@code getconf CLK_TCK}, once per JVM; 100 if getconf cannot be run. */
    public static long ticksPerSecond() {
        long t = ticksPerSecond;
        if (t == 0) {
            t = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK")
                        .redirectErrorStream(true)
                        .start();
                String out;
                try (InputStream in = p.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                }
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    long parsed = Long.parseLong(out);
                    if (parsed > 0) {
                        t = parsed;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // keep 100
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ticksPerSecond = t;
        }
        return t;
    }

    /**
     * utime + stime in ticks from the text of a {@code /proc/<pid>/stat} file. The command name (field 2) is in
     * parentheses and may itself hold spaces and parentheses, so fields are counted from the last ')'.
     */
    public static long ticksFromStat(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        String[] rest = stat.substring(close + 1).trim().split("\\s+");
        // rest[0] is field 3 (state); utime is field 14, stime field 15
        if (rest.length < 13) {
            throw new IllegalArgumentException("short /proc/<pid>/stat line: " + stat);
        }
        return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
    }

    /** Ticks of one process, or -1 if it is gone. */
    public static long ticks(long pid) {
        try {
            return ticksFromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return -1;
        }
    }

    /** The given processes and all their live descendants. */
    public static Set<Long> tree(Collection<Long> roots) {
        Set<Long> all = new LinkedHashSet<>();
        for (long pid : roots) {
            all.add(pid);
            ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
        }
        return all;
    }

    /** The thread name (field 2) from the text of a {@code /proc/<pid>/task/<tid>/stat} file. */
    static String nameFromStat(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        return open < 0 || close < open ? "" : stat.substring(open + 1, close);
    }

    /**
     * Whether a thread is one of HotSpot's JIT compiler threads ("C1 CompilerThread0", "C2 CompilerThread1"; the
     * kernel keeps the first 15 characters of a thread's name).
     */
    static boolean isJitCompiler(String threadName) {
        return threadName.matches("C[12] CompilerThre.*");
    }

    /** Ticks of each JIT compiler thread of {@code pid} now, keyed "pid/tid" (empty if the process is gone). */
    static Map<String, Long> jitTicks(long pid) {
        Map<String, Long> byTask = new LinkedHashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (var list = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) list::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (isJitCompiler(nameFromStat(stat))) {
                        byTask.put(pid + "/" + task.getFileName(), ticksFromStat(stat));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // the process ended
        }
        return byTask;
    }

    /**
     * A sample: the processes measured, their summed ticks and each one's ticks, and the ticks of their JIT
     * compiler threads (by "pid/tid").
     */
    public record Sample(
            long nanoTime, Set<Long> pids, long ticks, Map<Long, Long> ticksByPid, Map<String, Long> jitTicksByTask) {
        /** CPU seconds spent between {@code earlier} and this sample. */
        public double secondsSince(Sample earlier) {
            return (ticks - earlier.ticks) / (double) ticksPerSecond();
        }

        /**
         * CPU seconds the JIT compiler threads spent between {@code earlier} and this sample (a thread started
         * meanwhile counts whole; one that ended meanwhile, as HotSpot's dynamic compiler threads may, is missed).
         */
        public double jitSecondsSince(Sample earlier) {
            long spent = 0;
            for (Map.Entry<String, Long> e : jitTicksByTask.entrySet()) {
                spent += Math.max(0, e.getValue() - earlier.jitTicksByTask.getOrDefault(e.getKey(), 0L));
            }
            return spent / (double) ticksPerSecond();
        }

        /**
         * The largest share of the CPU spent between {@code earlier} and this sample that one process (of those in
         * both samples) took; null when nothing was spent.
         */
        public Double busiestShareSince(Sample earlier) {
            long total = 0;
            long busiest = 0;
            for (Map.Entry<Long, Long> e : ticksByPid.entrySet()) {
                Long before = earlier.ticksByPid.get(e.getKey());
                if (before != null) {
                    long spent = Math.max(0, e.getValue() - before);
                    total += spent;
                    busiest = Math.max(busiest, spent);
                }
            }
            return total == 0 ? null : busiest / (double) total;
        }
    }

    /** Sums the ticks of {@code roots} and their descendants now. */
    public static Sample sampleTree(List<Long> roots) {
        long now = System.nanoTime();
        Set<Long> pids = tree(roots);
        long sum = 0;
        Map<Long, Long> byPid = new LinkedHashMap<>();
        Map<String, Long> jit = new LinkedHashMap<>();
        for (long pid : pids) {
            long t = ticks(pid);
            if (t > 0) {
                sum += t;
                byPid.put(pid, t);
                jit.putAll(jitTicks(pid));
            }
        }
        return new Sample(now, pids, sum, byPid, jit);
    }
}
