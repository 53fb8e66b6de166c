package io.arbiter.server.placement;

import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Builds this node's {@link NodeReport}: commands per second from the difference of each replica's applied-command
 * count since the previous report (the first report of a replica says 0), open transactions, leadership, and the
 * process CPU load as the JVM measures it.
 *
 * <p>Threading: {@link #report} is synchronized (reports are asked once a second by one meta leader).
 */
public final class NodeReporter {
    private final String self;
    private final Fragments fragments;
    private final LongSupplier clock;
    private final Map<Integer, long[]> previous = new HashMap<>();

    public NodeReporter(String self, Fragments fragments, LongSupplier clock) {
        this.self = self;
        this.fragments = fragments;
        this.clock = clock;
    }

    public synchronized NodeReport report() {
        long now = clock.getAsLong();
        List<NodeReport.FragmentLoad> loads = new ArrayList<>();
        Map<Integer, long[]> seen = new HashMap<>();
        for (Fragment f : fragments.all()) {
            if (!f.attached()) {
                continue;
            }
            long applied = f.stateMachine().appliedCommands();
            long[] before = previous.get(f.id());
            double rate = before == null || now <= before[1] ? 0 : (applied - before[0]) * 1000.0 / (now - before[1]);
            seen.put(f.id(), new long[] {applied, now});
            boolean leads = f.isLeader();
            loads.add(new NodeReport.FragmentLoad(
                    f.id(),
                    leads,
                    Math.max(0, rate),
                    f.stateMachine().transactionCount(),
                    leads
                            ? f.group().peers().stream()
                                    .map(io.arbiter.replication.ReplicaGroupConfig.Peer::id)
                                    .toList()
                            : List.of()));
        }
        previous.clear();
        previous.putAll(seen);
        return new NodeReport(self, cpu(), loads);
    }

    @io.arbiter.server.SuppressForbidden(
            reason = "the process CPU load has no portable API; used only where the JVM"
                    + " offers it (checked with instanceof), 0 elsewhere")
    private static double cpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load < 0 ? 0 : load;
        }
        return 0;
    }
}
