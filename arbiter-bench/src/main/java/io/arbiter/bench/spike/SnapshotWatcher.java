package io.arbiter.bench.spike;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the snapshots a node writes, while it runs, in two ways on one polling thread:
 * <ul>
 *   <li>its log (what {@code ManagedProcess} captured of its stdout/stderr): the line
 *       {@code HH:mm:ss.SSS INFO [...] ... - wrote snapshot at index I (B bytes) in M ms}, logged when the write
 *       finished; the line's time of day is resolved to the date nearest to when the line was read (the node runs
 *       on this machine, in this time zone), or replaced by the time it was read if that is more than
 *       {@value #CLOCK_TOLERANCE_MS} ms away;</li>
 *   <li>the snapshot files under {@code DATA/raft/<group>/sm/} (Ratis's layout: {@code snapshot.<term>_<index>},
 *       written first to a temporary file): the first sighting of each, a fallback used only if no log line was
 *       found.</li>
 * </ul>
 */
public final class SnapshotWatcher implements AutoCloseable {
    static final long CLOCK_TOLERANCE_MS = 5_000;
    private static final Pattern LOG_LINE = Pattern.compile(
            "(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})\\s.*wrote snapshot at index (\\d+) \\((\\d+) bytes\\) in (\\d+) ms");
    private static final Pattern FILE_NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)(\\.tmp)?");

    private final Path log;
    private final Path dataDir;
    private final long pollMs;
    private final ZoneId zone;
    private final List<SpikeAnalysis.Snapshot> fromLog = new ArrayList<>();
    /** index → {first sighting of the temporary file (or -1), first sighting of the final file (or -1), size}. */
    private final Map<Long, long[]> files = new LinkedHashMap<>();

    private final Thread thread;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean running = true;

    /**
     * @param log     the node's captured output
     * @param dataDir the node's data directory (snapshots are looked for under its {@code raft} directory)
     */
    public SnapshotWatcher(Path log, Path dataDir, long pollMs) {
        this.log = log;
        this.dataDir = dataDir;
        this.pollMs = pollMs;
        this.zone = ZoneId.systemDefault();
        this.thread = new Thread(this::loop, "snapshot-watch");
        this.thread.setDaemon(true);
    }

    /** Starts polling; lines already in the log are read at the first poll. */
    public SnapshotWatcher start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            poll();
            try {
                Thread.sleep(pollMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void poll() {
        long now = System.currentTimeMillis();
        try {
            readLog(now);
        } catch (IOException e) {
            // not there yet, or rotated: try again at the next poll
        }
        scanFiles(now);
    }

    private void readLog(long now) throws IOException {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < offset) {
                offset = 0; // truncated
            }
            while (offset < size) {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(1 << 20, size - offset));
                int n = ch.read(buf, offset);
                if (n <= 0) {
                    break;
                }
                offset += n;
                // ISO-8859-1: one char per byte, so a line cut between two reads is never a broken character
                partial.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, nl);
                    partial.delete(0, nl + 1);
                    parseLogLine(line, now, zone).ifPresent(fromLog::add);
                }
            }
        } catch (NoSuchFileException e) {
            // the process has not written anything yet
        }
    }

    private void scanFiles(long now) {
        Path raft = dataDir.resolve("raft");
        if (!Files.isDirectory(raft)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(raft, 5)) {
            walk.forEach(p -> {
                Matcher m = FILE_NAME.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    return;
                }
                boolean tmp = m.group(3) != null
                        || (p.getParent() != null
                                && p.getParent().getFileName().toString().equals("tmp"));
                long[] seen = files.computeIfAbsent(Long.parseLong(m.group(2)), k -> new long[] {-1, -1, -1});
                if (tmp && seen[0] < 0) {
                    seen[0] = now;
                } else if (!tmp && seen[1] < 0) {
                    seen[1] = now;
                    try {
                        seen[2] = Files.size(p);
                    } catch (IOException e) {
                        // deleted meanwhile (an older snapshot being cleaned up)
                    }
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // a file vanished during the walk: the next poll sees a stable tree
        }
    }

    /**
     * The snapshot logged on {@code line}, if it is a "wrote snapshot" line; {@code observedMs} is when the line
     * was read, which fixes the date of the line's time of day.
     */
    static Optional<SpikeAnalysis.Snapshot> parseLogLine(String line, long observedMs, ZoneId zone) {
        Matcher m = LOG_LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        LocalTime time = LocalTime.of(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)) * 1_000_000);
        long index = Long.parseLong(m.group(5));
        long bytes = Long.parseLong(m.group(6));
        long writeMs = Long.parseLong(m.group(7));
        long end = resolve(time, observedMs, zone);
        String source = "log";
        if (Math.abs(end - observedMs) > CLOCK_TOLERANCE_MS) {
            end = observedMs;
            source = "log-read-time";
        }
        return Optional.of(new SpikeAnalysis.Snapshot(index, bytes, writeMs, end - writeMs, end, source));
    }

    /** The epoch millisecond of {@code time} on the day (before, of or after {@code nearMs}) closest to it. */
    static long resolve(LocalTime time, long nearMs, ZoneId zone) {
        LocalDate day = Instant.ofEpochMilli(nearMs).atZone(zone).toLocalDate();
        long best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int d = -1; d <= 1; d++) {
            long t = ZonedDateTime.of(day.plusDays(d), time, zone).toInstant().toEpochMilli();
            if (Math.abs(t - nearMs) < bestDistance) {
                best = t;
                bestDistance = Math.abs(t - nearMs);
            }
        }
        return best;
    }

    /** Stops polling after a last poll. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poll();
    }

    /** The snapshots found in the log, or if none, those seen as files. */
    public synchronized List<SpikeAnalysis.Snapshot> snapshots() {
        return fromLog.isEmpty() ? fromFiles() : List.copyOf(fromLog);
    }

    public synchronized int logLines() {
        return fromLog.size();
    }

    /** Complete snapshot files seen. */
    public synchronized int filesSeen() {
        return (int) files.values().stream().filter(s -> s[1] >= 0).count();
    }

    private List<SpikeAnalysis.Snapshot> fromFiles() {
        List<SpikeAnalysis.Snapshot> list = new ArrayList<>();
        files.forEach((index, s) -> {
            if (s[1] >= 0) {
                // the temporary file appeared at most one poll after the write began; without it, only the end
                long start = (s[0] >= 0 ? s[0] : s[1]) - pollMs;
                list.add(new SpikeAnalysis.Snapshot(index, s[2], null, start, s[1], "files"));
            }
        });
        return list;
    }
}
