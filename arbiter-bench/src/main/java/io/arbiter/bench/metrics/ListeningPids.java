package io.arbiter.bench.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which processes listen on given TCP ports, from {@code /proc/net/tcp{,6}} (LISTEN sockets and their inodes) and
 * {@code /proc/<pid>/fd} (who holds those sockets). Lets a single {@code bench run} measure the coordinator's CPU
 * without being told its pids.
 */
public final class ListeningPids {
    private static final String LISTEN = "0A";

    private ListeningPids() {}

    /** Socket inodes of the LISTEN entries for {@code ports} in the text of a {@code /proc/net/tcp} file. */
    public static Set<Long> listenInodes(List<String> procNetTcpLines, Collection<Integer> ports) {
        Set<Long> inodes = new HashSet<>();
        for (String line : procNetTcpLines) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            if (f.length < 10 || !f[0].endsWith(":")) {
                continue;
            }
            int colon = f[1].lastIndexOf(':');
            if (colon < 0 || !LISTEN.equals(f[3])) {
                continue;
            }
            int port = Integer.parseInt(f[1].substring(colon + 1), 16);
            if (ports.contains(port)) {
                inodes.add(Long.parseLong(f[9]));
            }
        }
        return inodes;
    }

    /** Pids holding a LISTEN socket on any of {@code ports} (needs permission to read their fd tables). */
    public static Set<Long> find(Collection<Integer> ports) {
        Set<Long> inodes = new HashSet<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                inodes.addAll(listenInodes(Files.readAllLines(Path.of(file)), ports));
            } catch (IOException e) {
                // no IPv6 table, or no /proc
            }
        }
        Set<Long> pids = new TreeSet<>();
        if (inodes.isEmpty()) {
            return pids;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (holdsAny(proc.resolve("fd"), inodes)) {
                    pids.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return pids;
    }

    private static boolean holdsAny(Path fdDir, Set<Long> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    continue;
                }
                if (target.startsWith("socket:[")
                        && inodes.contains(Long.parseLong(target.substring(8, target.length() - 1)))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // process gone or not ours
        }
        return false;
    }
}
