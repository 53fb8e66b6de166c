package io.arbiter.server.metrics;

import io.arbiter.core.model.GlobalStatus;
import io.arbiter.server.WallClock;
import io.arbiter.server.coordinator.PhaseTwoStats;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.routing.LockCallStats;
import io.arbiter.server.routing.RoutingStats;
import io.arbiter.server.rpc.ClientConnections;
import io.arbiter.server.rpc.ConnectionLimit;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * This node's metrics: a Micrometer Prometheus registry with Arbiter's own meters (per fragment, routing, phase two,
 * client connections, JVM) bound to the plain running totals the server keeps, plus Seata's
 * {@code seata_transaction} and {@code seata_exception} series written by hand after them (Micrometer would name a
 * counter {@code _total}). {@link #scrape} is the body of {@code /metrics}. Meter names and meanings: docs/METRICS.md.
 *
 * <p>Threading: thread-safe. The request path only touches the adders behind the meters; registering meters
 * (a fragment's, once) and scraping may take the registry's locks.
 */
public final class NodeMetrics implements AutoCloseable {
    private static final GlobalStatus[] FINAL_STATUSES = {
        GlobalStatus.Committed,
        GlobalStatus.CommitFailed,
        GlobalStatus.Rollbacked,
        GlobalStatus.RollbackFailed,
        GlobalStatus.TimeoutRollbacked,
        GlobalStatus.TimeoutRollbackFailed,
        GlobalStatus.CommitRetryTimeout,
        GlobalStatus.RollbackRetryTimeout,
        GlobalStatus.Finished
    };
    private static final GlobalStatus[] RETRYING = {
        GlobalStatus.CommitRetrying, GlobalStatus.RollbackRetrying, GlobalStatus.TimeoutRollbackRetrying
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Integer, FragmentMeters> fragments = new ConcurrentHashMap<>();
    private final Map<Integer, List<Meter>> fragmentMeters = new ConcurrentHashMap<>();
    private final SeataTransactionMetrics seata;
    private final ErrorLogMeter errors;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge liveTransactions;
    private final MultiGauge heldLocks;
    private final MultiGauge leading;
    private volatile Supplier<? extends Collection<Fragment>> localFragments = List::of;

    public NodeMetrics() {
        this(WallClock::millis);
    }

    NodeMetrics(LongSupplier clock) {
        seata = new SeataTransactionMetrics(clock, fragments::values);
        errors = new ErrorLogMeter(clock);
        errors.attach();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        liveTransactions = MultiGauge.builder("arbiter.transactions.live")
                .description("Live global transactions in this node's replica of the fragment")
                .register(registry);
        heldLocks = MultiGauge.builder("arbiter.locks.held")
                .description("Row locks held in this node's replica of the fragment")
                .register(registry);
        leading = MultiGauge.builder("arbiter.fragment.leader")
                .description("1 if this node leads the fragment, else 0")
                .register(registry);
    }

    /** The meters of this node's replica of fragment {@code id} (made and registered on first use). */
    public FragmentMeters fragment(int id) {
        return fragments.computeIfAbsent(id, this::register);
    }

    /** Fragment {@code id} left this node: its meters go. */
    public void fragmentRemoved(int id) {
        fragments.remove(id);
        List<Meter> meters = fragmentMeters.remove(id);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    /** Where the live fragments' transaction, lock and leader gauges are read at each scrape. */
    public void bindFragments(Supplier<? extends Collection<Fragment>> all) {
        this.localFragments = all;
    }

    public void bindRouting(RoutingStats stats) {
        String help = "Client requests by route: served by a fragment leader here (local) or forwarded to the "
                + "fragment's leader on another node (forwarded)";
        counter("arbiter.requests", stats, RoutingStats::servedHere, help, "route", "local");
        counter("arbiter.requests", stats, RoutingStats::forwarded, help, "route", "forwarded");
        counter(
                "arbiter.requests.retries",
                stats,
                RoutingStats::retried,
                "Client requests tried again after a NotRaftLeader answer or while no leader was known");
        counter(
                "arbiter.requests.unrouted",
                stats,
                RoutingStats::gaveUp,
                "Client requests that found no leader before their deadline");
    }

    public void bindLockCalls(LockCallStats stats) {
        counter(
                "arbiter.lock.calls",
                stats,
                LockCallStats::calls,
                "Row-lock grants and releases this node sent to lock-only fragments' leaders");
        counter(
                "arbiter.lock.call.batches",
                stats,
                LockCallStats::batches,
                "Batches those lock calls left in (one peer message or leader read each; calls / batches is the"
                        + " batch size)");
    }

    public void bindPhaseTwo(PhaseTwoStats stats) {
        String help = "Phase-two calls to resource managers (done: the branch's final status came back)";
        counter(
                "arbiter.phase2.calls",
                stats,
                PhaseTwoStats::commitsDone,
                help,
                "direction",
                "commit",
                "result",
                "done");
        counter(
                "arbiter.phase2.calls",
                stats,
                PhaseTwoStats::commitsFailed,
                help,
                "direction",
                "commit",
                "result",
                "failed");
        counter(
                "arbiter.phase2.calls",
                stats,
                PhaseTwoStats::rollbacksDone,
                help,
                "direction",
                "rollback",
                "result",
                "done");
        counter(
                "arbiter.phase2.calls",
                stats,
                PhaseTwoStats::rollbacksFailed,
                help,
                "direction",
                "rollback",
                "result",
                "failed");
    }

    public void bindConnections(ClientConnections connections) {
        String help = "Registered Seata channels on this node";
        Gauge.builder("arbiter.connections", connections, ClientConnections::tms)
                .description(help)
                .tags("role", "TM")
                .register(registry);
        Gauge.builder("arbiter.connections", connections, ClientConnections::rms)
                .description(help)
                .tags("role", "RM")
                .register(registry);
        Gauge.builder("arbiter.connections", connections, ClientConnections::peers)
                .description(help)
                .tags("role", "peer")
                .register(registry);
    }

    /** Open Seata-port connections (registered or not) and those refused at the limit. */
    public void bindConnectionLimit(ConnectionLimit limit) {
        Gauge.builder("arbiter.connections.open", limit, ConnectionLimit::open)
                .description("Open connections on the Seata port, registered or not")
                .register(registry);
        FunctionCounter.builder("arbiter.connections.refused", limit, ConnectionLimit::refused)
                .description("Seata connections closed on accept because arbiter.max-connections were open")
                .register(registry);
    }

    /** The Prometheus text exposition of every meter, Seata's series last. */
    public String scrape() {
        StringBuilder seataSeries = new StringBuilder();
        seata.write(seataSeries); // first: a transaction these series count as ended is gone from the gauges below
        errors.write(seataSeries);
        refreshFragmentGauges();
        return registry.scrape() + seataSeries;
    }

    /** This node's fragment replicas' figures for the web console (reads adders; resets nothing). */
    public List<FragmentSummary> fragmentSummaries() {
        List<FragmentSummary> out = new ArrayList<>();
        for (Fragment f : localFragments.get()) {
            FragmentMeters m = fragments.get(f.id());
            if (m == null) {
                continue;
            }
            Map<String, Long> ended = new java.util.LinkedHashMap<>();
            for (GlobalStatus s : FINAL_STATUSES) {
                ended.put(s.name(), m.ended(s));
            }
            long retries = 0;
            for (GlobalStatus s : RETRYING) {
                retries += m.retries(s);
            }
            out.add(new FragmentSummary(
                    f.id(),
                    f.isLeader(),
                    m.commands.sum(),
                    m.begun.sum(),
                    ended,
                    retries,
                    m.proposalsFailed.sum(),
                    f.stateMachine().transactionCount(),
                    f.stateMachine().lockCount(),
                    m.proposalLatency.counts()));
        }
        return out;
    }

    private void refreshFragmentGauges() {
        List<MultiGauge.Row<?>> live = new ArrayList<>();
        List<MultiGauge.Row<?>> locks = new ArrayList<>();
        List<MultiGauge.Row<?>> led = new ArrayList<>();
        for (Fragment f : localFragments.get()) {
            Tags tags = Tags.of("fragment", String.valueOf(f.id()));
            live.add(MultiGauge.Row.of(tags, f.stateMachine().transactionCount()));
            locks.add(MultiGauge.Row.of(tags, f.stateMachine().lockCount()));
            led.add(MultiGauge.Row.of(tags, f.isLeader() ? 1 : 0));
        }
        liveTransactions.register(live, true);
        heldLocks.register(locks, true);
        leading.register(led, true);
    }

    private FragmentMeters register(int id) {
        FragmentMeters m = new FragmentMeters(id, seata);
        String fragment = String.valueOf(id);
        List<Meter> meters = new ArrayList<>();
        meters.add(fragmentCounter(
                "arbiter.fragment.commands",
                m,
                x -> x.commands.sum(),
                fragment,
                "Commands applied in the fragment while this node led it"));
        meters.add(fragmentCounter(
                "arbiter.fragment.entries",
                m,
                x -> x.entries.sum(),
                fragment,
                "Raft log entries with commands applied in the fragment while this node led it (commands / entries:"
                        + " commands per entry)"));
        meters.add(fragmentCounter(
                "arbiter.fragment.leader.changes",
                m,
                x -> x.leaderChanges.sum(),
                fragment,
                "Changes of the fragment's leader seen by this node's replica"));
        meters.add(fragmentCounter(
                "arbiter.transactions.begun",
                m,
                x -> x.begun.sum(),
                fragment,
                "Global transactions begun in the fragment while this node led it"));
        for (GlobalStatus s : FINAL_STATUSES) {
            meters.add(FunctionCounter.builder("arbiter.transactions.ended", m, x -> x.ended(s))
                    .description("Global transactions ended in the fragment while this node led it, by final status")
                    .tags("fragment", fragment, "status", s.name())
                    .register(registry));
        }
        for (GlobalStatus s : RETRYING) {
            meters.add(FunctionCounter.builder("arbiter.phase2.retries", m, x -> x.retries(s))
                    .description("Phase-two rounds that failed and were scheduled again, by the retrying status")
                    .tags("fragment", fragment, "status", s.name())
                    .register(registry));
        }
        meters.add(FunctionTimer.builder(
                        "arbiter.raft.apply", m, x -> x.applies.sum(), x -> x.applyNanos.sum(), TimeUnit.NANOSECONDS)
                .description("Time to apply one command in this node's replica")
                .tags("fragment", fragment)
                .register(registry));
        meters.add(FunctionTimer.builder(
                        "arbiter.raft.commit",
                        m,
                        x -> x.proposals.sum(),
                        x -> x.proposalNanos.sum(),
                        TimeUnit.NANOSECONDS)
                .description("Time from proposing a command on this node to its result (replicated, committed, "
                        + "applied)")
                .tags("fragment", fragment)
                .register(registry));
        meters.add(fragmentCounter(
                "arbiter.raft.commit.failures",
                m,
                x -> x.proposalsFailed.sum(),
                fragment,
                "Proposals on this node that failed (not leader, leadership lost, overload, timeout)"));
        meters.add(FunctionTimer.builder(
                        "arbiter.snapshot.capture",
                        m,
                        x -> x.snapshotCaptures.sum(),
                        x -> x.snapshotCaptureNanos.sum(),
                        TimeUnit.NANOSECONDS)
                .description("Time the apply thread spent taking a snapshot's view")
                .tags("fragment", fragment)
                .register(registry));
        meters.add(FunctionTimer.builder(
                        "arbiter.snapshot.write",
                        m,
                        x -> x.snapshotWrites.sum(),
                        x -> x.snapshotWriteNanos.sum(),
                        TimeUnit.NANOSECONDS)
                .description("Time to write a snapshot (off the apply thread)")
                .tags("fragment", fragment)
                .register(registry));
        meters.add(Gauge.builder("arbiter.snapshot.size", m, x -> x.lastSnapshotBytes)
                .baseUnit("bytes")
                .description("Size of the last snapshot written")
                .tags("fragment", fragment)
                .register(registry));
        fragmentMeters.put(id, meters);
        return m;
    }

    private Meter fragmentCounter(
            String name, FragmentMeters m, ToDoubleFunction<FragmentMeters> value, String fragment, String help) {
        return FunctionCounter.builder(name, m, value)
                .description(help)
                .tags("fragment", fragment)
                .register(registry);
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> value, String help, String... tags) {
        FunctionCounter.builder(name, source, value)
                .description(help)
                .tags(tags)
                .register(registry);
    }

    @Override
    public void close() {
        errors.detach();
        gc.close();
        registry.close();
    }
}
