package io.arbiter.server;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.arbiter.server.cluster.ReplicatedClusterView;
import io.arbiter.server.config.ArbiterConfig;
import io.arbiter.server.coordinator.CrossFragmentLocks;
import io.arbiter.server.coordinator.Housekeeping;
import io.arbiter.server.coordinator.LockSweeper;
import io.arbiter.server.coordinator.LockTableRebuilds;
import io.arbiter.server.coordinator.OutcomeWaiters;
import io.arbiter.server.coordinator.PhaseTwoDriver;
import io.arbiter.server.coordinator.PhaseTwoStats;
import io.arbiter.server.coordinator.TransactionRequests;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.FragmentReconciler;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.fragment.PreferredLeaders;
import io.arbiter.server.fragment.RatisHost;
import io.arbiter.server.fragment.ReplicaHost;
import io.arbiter.server.fragment.SlotMap;
import io.arbiter.server.http.HttpApiServer;
import io.arbiter.server.http.console.ConsoleHttpApi;
import io.arbiter.server.http.metadata.MetadataHttpApi;
import io.arbiter.server.http.webconsole.OverviewEndpoint;
import io.arbiter.server.http.webconsole.StaticAssets;
import io.arbiter.server.meta.FragmentOperations;
import io.arbiter.server.meta.MapFollower;
import io.arbiter.server.meta.MetaCodec;
import io.arbiter.server.meta.MetaCommand;
import io.arbiter.server.meta.MetaGroup;
import io.arbiter.server.meta.MetaReplicaKeeper;
import io.arbiter.server.metrics.FragmentMeters;
import io.arbiter.server.metrics.MetricsEndpoint;
import io.arbiter.server.metrics.NodeMetrics;
import io.arbiter.server.placement.MembershipChanges;
import io.arbiter.server.placement.NodeReporter;
import io.arbiter.server.placement.PeerOperationServer;
import io.arbiter.server.placement.Placement;
import io.arbiter.server.placement.PlacementLoop;
import io.arbiter.server.routing.ClusterGroups;
import io.arbiter.server.routing.Delays;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.routing.RequestRouter;
import io.arbiter.server.rpc.BranchCaller;
import io.arbiter.server.rpc.ClientConnections;
import io.arbiter.server.rpc.ConnectionLimit;
import io.arbiter.server.rpc.OutboundCalls;
import io.arbiter.server.rpc.PeerLinks;
import io.arbiter.server.rpc.PeerProbe;
import io.arbiter.server.rpc.PeerRms;
import io.arbiter.server.rpc.RmAnnouncer;
import io.arbiter.server.rpc.RmDirectory;
import io.arbiter.server.rpc.SeataChannelHandler;
import io.arbiter.server.rpc.SeataServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Arbiter node: its replicas of the cluster's fragments (Raft groups running the coordinator), the request
 * router that sends each Seata request to its fragment's leader, the Seata RPC listener, the HTTP API, and the
 * leaders' phase-two drivers and housekeeping. {@link #start} returns once the node serves.
 *
 * <p>Threading: start and close from one thread; the parts run on their own threads.
 */
public final class ArbiterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArbiterNode.class);
    public static final String VERSION = "2.5.0";

    private final ArbiterConfig config;
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup();
    private ReplicaHost host;
    private Fragments fragments;
    private SeataServer seata;
    private HttpApiServer http;
    private Housekeeping housekeeping;
    private ReplicatedClusterView cluster;
    private PeerLinks peerLinks;
    private PeerProbe peerProbe;
    private PeerRms peerRms;
    private RmAnnouncer rmAnnouncer;
    private MetaGroup meta;
    private volatile MapFollower mapFollower;
    private PlacementLoop placement;
    private FragmentOperations operations;
    private RequestRouter router;
    private final NodeMetrics metrics = new NodeMetrics();

    private ArbiterNode(ArbiterConfig config) {
        this.config = config;
    }

    public static ArbiterNode start(ArbiterConfig config) throws Exception {
        ArbiterNode node = new ArbiterNode(config);
        try {
            node.startParts();
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void startParts() throws Exception {
        LongSupplier clock = WallClock::millis;
        FragmentIds ids = new FragmentIds(config.group());
        List<String> nodeIds = config.members().stream().map(ClusterMember::id).toList();
        ClusterMap initialMap = initialMap(nodeIds);
        AtomicReference<ReplicatedClusterView> view = new AtomicReference<>();
        Function<String, Optional<ClusterMember>> members = id -> view.get() != null
                ? view.get().member(id)
                : config.members().stream().filter(m -> m.id().equals(id)).findFirst();
        List<String> metaMembers = MetaGroup.initialMembers(
                config.joining()
                        ? nodeIds.stream()
                                .filter(id -> !id.equals(config.selfId()))
                                .toList()
                        : nodeIds);
        meta = new MetaGroup(config.selfId(), members, metaMembers);
        Map<Integer, Fragment> made = new ConcurrentHashMap<>();
        Function<UUID, ReplicatedStateMachine> stateMachines = groupId -> {
            if (groupId.equals(ids.metaGroupId())) {
                return meta.replicaStateMachine();
            }
            int f = ids.fragmentOf(groupId)
                    .orElseThrow(() -> new IllegalStateException("the data directory holds Raft group " + groupId
                            + ", which is no fragment of group '" + config.group() + "'"));
            return made.computeIfAbsent(f, this::newFragment).stateMachine();
        };
        host = newHost(stateMachines);
        fragments = new Fragments(config.selfId(), initialMap, members);
        host.start();
        boolean restarted = !host.groupIds().isEmpty();
        if (restarted && host.group(ids.metaGroupId()).isEmpty()) {
            // written before fragments (one group, now fragment 0): its row locks stay where they are, so fragment 0
            // keeps every lock slot and its replicated locks (it holds transactions: never lock-only); more fragments,
            // if configured, take transactions only
            initialMap = new ClusterMap(
                    1,
                    initialMap.fragments().stream()
                            .map(f -> new ClusterMap.FragmentInfo(
                                    f.id(), f.replicas(), f.acceptsBegins(), f.founders(), false))
                            .toList(),
                    SlotMap.spread(List.of(0)),
                    initialMap.nodes());
            fragments.setMap(initialMap);
        }
        startMetaReplica(ids, metaMembers, members);

        OutcomeWaiters waiters = new OutcomeWaiters();
        RmDirectory rms = new RmDirectory();
        OutboundCalls calls = new OutboundCalls();
        peerLinks = new PeerLinks(workers, calls, config.selfId());
        FragmentCommands commands =
                new FragmentCommands(new ClusterGroups(fragments, meta), peerLinks, clock, Delays.SYSTEM);
        TransactionRequests requests = new TransactionRequests(
                waiters, config.xidPrefix(), clock, new CrossFragmentLocks(fragments, commands, clock), Delays.SYSTEM);
        requests.limitOpenTransactions(config.maxOpenTransactions());
        housekeeping = new Housekeeping(fragments, rms, clock);
        AtomicReference<BranchCaller> branches = new AtomicReference<>();
        PhaseTwoStats phaseTwoStats = new PhaseTwoStats();
        metrics.bindPhaseTwo(phaseTwoStats);
        metrics.bindFragments(fragments::all);
        FragmentReconciler reconciler = new FragmentReconciler(
                config.selfId(),
                ids,
                host,
                fragments,
                id -> made.computeIfAbsent(id, this::newFragment),
                members,
                config.joining(),
                new FragmentReconciler.Wiring() {
                    @Override
                    public void wire(Fragment fragment) {
                        PhaseTwoDriver driver = new PhaseTwoDriver(
                                fragment.id(),
                                fragment.service(),
                                waiters,
                                branches::get,
                                commands,
                                clock,
                                phaseTwoStats,
                                ArbiterNode.this::releaseRowsIn);
                        FragmentMeters meters = metrics.fragment(fragment.id());
                        fragment.group().addListener(view -> meters.leaderSeen(view.leaderId()));
                        fragment.group().addListener(view -> {
                            MapFollower follower = mapFollower;
                            if (follower != null
                                    && !view.member()
                                    && fragment.group().joinedItsGroup()) {
                                // removed from its group: noted now, and once the map had time to follow, whether
                                // it still places the replica here (then it joins again)
                                follower.reconcileAfter(Duration.ZERO);
                                follower.reconcileAfter(FragmentReconciler.REMOVED_GRACE.plusMillis(100));
                            }
                        });
                        fragment.onEffects(driver::execute);
                        fragment.stateMachine().onLeadership(() -> housekeeping.resume(fragment));
                        fragment.stateMachine().onLeadershipEnd(() -> waiters.leadershipEnded(fragment.id()));
                        if (fragment.isLeader()) {
                            housekeeping.resume(fragment); // it led before the hook was in place
                        }
                    }

                    @Override
                    public void unwire(Fragment fragment) {
                        made.remove(fragment.id(), fragment);
                        metrics.fragmentRemoved(fragment.id());
                    }
                },
                clock);
        if (restarted) {
            reconciler.adoptRunning(); // the map comes from the meta group once it has caught up
        } else {
            reconciler.reconcile(initialMap);
        }
        ReplicaGroup followed = fragments.all().stream()
                .findFirst()
                .map(Fragment::group)
                .or(() -> meta.replica())
                .orElse(null); // null: a joining node, which holds nothing yet
        cluster = new ReplicatedClusterView(
                config.group(),
                config.self(),
                config.members(),
                followed,
                () -> fragments.all().stream().map(Fragment::group).toList());
        view.set(cluster);
        cluster.leaderWithoutReplica(
                () -> fragments.map().fragments().stream().findFirst().flatMap(f -> fragments.leaderOf(f.id())));
        fragments.onMapChange(map -> cluster.recordedMembers(
                map.nodes().stream().map(ClusterMap.NodeInfo::id).toList()));
        cluster.recordedMembers(
                fragments.map().nodes().stream().map(ClusterMap.NodeInfo::id).toList());
        peerProbe = new PeerProbe(peerLinks, cluster::members, config.selfId(), workers.next());
        cluster.followLiveness(peerProbe);
        peerRms = new PeerRms();
        rmAnnouncer = new RmAnnouncer(rms, peerLinks, cluster::members, config.selfId(), workers.next());
        branches.set(new BranchCaller(rms, calls, cluster, peerLinks, peerRms, config.rmCallTimeout()));
        router = new RequestRouter(fragments, requests, peerLinks, clock, Delays.SYSTEM);
        metrics.bindRouting(router.stats());
        metrics.bindLockCalls(commands.lockCallStats());
        ClientConnections connections = new ClientConnections();
        metrics.bindConnections(connections);
        ConnectionLimit connectionLimit =
                new ConnectionLimit("Seata", "arbiter.max-connections", config.maxConnections());
        metrics.bindConnectionLimit(connectionLimit);
        operations = new FragmentOperations(fragments, commands, members, clock);
        cluster.afterMembershipChange(changed -> operations.membersChanged(
                changed.stream().map(ClusterMember::id).toList()));
        NodeReporter reporter = new NodeReporter(config.selfId(), fragments, clock);
        MetaReplicaKeeper metaReplica = new MetaReplicaKeeper(meta, host, ids.metaGroupId(), config.self(), clock);
        PeerOperationServer peerOperations = new PeerOperationServer(operations, reporter, metaReplica);
        if (config.placement().enabled()) {
            MembershipChanges membership = new MembershipChanges(operations, fragments, clock);
            cluster.changeMembersWith(membership::change);
            placement = Placement.loop(
                    Placement.settings(config.placement(), config.fragments()),
                    config.selfId(),
                    meta::isLeader,
                    fragments,
                    cluster::reachable,
                    peerLinks,
                    members,
                    operations,
                    peerOperations,
                    reporter,
                    meta,
                    clock);
            housekeeping.every(Duration.ofSeconds(2), metaReplica::leaveIfRemoved);
        }
        // a node without a meta replica looks for the meta leader among every member, not just the first ones: a
        // joining node's first guesses may not even be meta members (it joined a grown cluster), and the group may
        // have moved since the cluster was created
        meta.guessAlso(() -> fragments.map().members());
        mapFollower = new MapFollower(meta, commands, reconciler, initialMap);
        cluster.start();
        if (config.members().size() == 1) {
            awaitLeaders();
        }

        housekeeping.start(config.tickInterval(), config.undoLogDeletePeriod(), config.undoLogSaveDays());
        housekeeping.every(LockSweeper.PERIOD, new LockSweeper(fragments, commands, clock)::run);
        housekeeping.every(
                LockTableRebuilds.PERIOD, new LockTableRebuilds(fragments, commands, () -> metaMap(commands))::run);
        housekeeping.every(Duration.ofSeconds(1), new PreferredLeaders(fragments, cluster::reachable, clock)::run);
        housekeeping.every(Duration.ofSeconds(1), operations::dropEmptyRetired);
        mapFollower.start();
        if (placement != null) {
            placement.start();
        }
        seata = new SeataServer(
                () -> new SeataChannelHandler(
                        router, commands, rms, calls, branches.get(), peerRms, VERSION, connections, peerOperations),
                config.readIdle(),
                connectionLimit);
        seata.start("0.0.0.0", config.port(), boss, workers);
        http = new HttpApiServer(
                this::health,
                List.of(
                        MetadataHttpApi.create(
                                cluster,
                                config.metadataApi(),
                                fragments,
                                operations,
                                mapFollower::following,
                                placement,
                                meta::leader),
                        ConsoleHttpApi.create(config.metadataApi(), fragments, commands),
                        new MetricsEndpoint(metrics),
                        new OverviewEndpoint(metrics, cluster),
                        new StaticAssets()),
                new ConnectionLimit("HTTP", "arbiter.http.max-connections", config.maxHttpConnections()));
        http.start("0.0.0.0", config.httpPort(), boss, workers);
        peerProbe.start();
        rmAnnouncer.start();
        LOG.info(
                "Arbiter serving Seata clients on port {} (XIDs {}:*), HTTP on {}, {} fragment(s) here, data in {}",
                seata.port(),
                config.xidPrefix(),
                http.port(),
                fragments.all().size(),
                config.dataDir().toAbsolutePath());
    }

    /** A replica of fragment {@code id}, watched by this node's metrics. */
    /**
     * Where a transaction's rows named as held in fragment {@code f} are released: there, or, once {@code f} handed
     * its lock slots over (they moved to one of today's owners), in every fragment owning slots.
     */
    private List<Integer> releaseRowsIn(int f) {
        SlotMap slots = fragments.slots();
        return slots.owns(f)
                ? List.of(f)
                : Arrays.stream(slots.fragments()).boxed().toList();
    }

    private Fragment newFragment(int id) {
        return new Fragment(id, config.coordinator(), metrics.fragment(id));
    }

    /** The cluster map as the meta group's leader has it (a linearizable read); fails while there is none. */
    private static CompletableFuture<ClusterMap> metaMap(FragmentCommands commands) {
        return commands.submitEncoded(
                        FragmentIds.META, MetaCodec.encode(new MetaCommand.ReadMap()), Duration.ofSeconds(5))
                .thenApply(bytes -> {
                    ClusterMap map = MetaCodec.decodeMap(bytes);
                    if (map == null) {
                        throw new IllegalStateException("the meta group has no cluster map yet");
                    }
                    return map;
                });
    }

    /** Starts (or adopts, after a restart) this node's replica of the meta group, if it is one of its members. */
    /**
     * The map this node serves until it hears the replicated one. With placement, fragments get
     * {@code arbiter.placement.replicas} replicas spread over the configured members, and a joining node places
     * itself in none (placement gives it its share once it is a member); without, every member holds every fragment.
     */
    private ClusterMap initialMap(List<String> nodeIds) {
        if (!config.placement().enabled()) {
            return ClusterMap.initial(
                    config.fragments(),
                    nodeIds,
                    Integer.MAX_VALUE,
                    config.lockFragments(),
                    config.locksInLeaderMemory());
        }
        List<String> holders = config.joining()
                ? nodeIds.stream().filter(id -> !id.equals(config.selfId())).toList()
                : nodeIds;
        ClusterMap spread = ClusterMap.initial(
                config.fragments(),
                holders.isEmpty() ? nodeIds : holders,
                config.placement().replicas(),
                config.lockFragments(),
                config.locksInLeaderMemory());
        return new ClusterMap(
                spread.epoch(),
                spread.fragments(),
                spread.slots(),
                nodeIds.stream()
                        .sorted()
                        .map(id -> new ClusterMap.NodeInfo(id, false))
                        .toList());
    }

    private void startMetaReplica(
            FragmentIds ids, List<String> metaMembers, Function<String, Optional<ClusterMember>> members)
            throws Exception {
        boolean stored = host.group(ids.metaGroupId()).isPresent();
        if (!stored && (config.joining() || !metaMembers.contains(config.selfId()))) {
            return; // it follows the map from the meta members
        }
        List<ReplicaGroupConfig.Peer> peers = new ArrayList<>();
        for (String id : metaMembers) {
            members.apply(id).ifPresent(m -> peers.add(new ReplicaGroupConfig.Peer(m.id(), m.host(), m.raftPort())));
        }
        meta.attach(host.addGroup(ids.metaGroupId(), peers, false).get(60, TimeUnit.SECONDS));
    }

    private ReplicaHost newHost(Function<UUID, ReplicatedStateMachine> stateMachines) {
        ReplicaGroupConfig settings = ReplicaGroupConfig.builder(
                        new FragmentIds(config.group()).groupId(0),
                        config.selfId(),
                        config.dataDir().resolve("raft"))
                .peers(config.members().stream()
                        .map(m -> new ReplicaGroupConfig.Peer(m.id(), m.host(), m.raftPort()))
                        .toList())
                .snapshotThresholdEntries(config.snapshotThreshold())
                .snapshotInterval(config.snapshotInterval())
                .electionTimeout(
                        config.electionTimeout(), config.electionTimeout().multipliedBy(2))
                .maxOutstandingEntries(config.maxOutstandingEntries())
                .build();
        return new RatisHost(settings, stateMachines);
    }

    private HttpApiServer.HealthReport health() {
        int transactions = 0;
        int locks = 0;
        for (Fragment f : fragments.all()) {
            transactions += f.stateMachine().transactionCount();
            locks += f.stateMachine().lockCount();
        }
        return new HttpApiServer.HealthReport(
                cluster.leader().isPresent(),
                isLeader() ? "leader" : "follower",
                transactions,
                locks,
                cluster.members().stream()
                        .map(ClusterMember::id)
                        .filter(id -> !cluster.reachable(id))
                        .toList());
    }

    /** A single node leads every fragment it holds once their one-replica groups elected themselves. */
    private void awaitLeaders() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (fragments.all().stream().anyMatch(f -> !f.group().isLeader())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica groups elected no leader within 30 s");
            }
            Thread.sleep(20);
        }
    }

    public int port() {
        return seata.port();
    }

    public int httpPort() {
        return http.port();
    }

    public ArbiterConfig config() {
        return config;
    }

    public ClusterView cluster() {
        return cluster;
    }

    /** What the other nodes told this one about the RMs they hold. */
    public PeerRms peerRms() {
        return peerRms;
    }

    /** Whether this node leads the cluster's first fragment (the one whose group the cluster view follows). */
    public boolean isLeader() {
        return fragments != null
                && fragments.map().fragments().stream()
                        .findFirst()
                        .flatMap(f -> fragments.local(f.id()))
                        .map(f -> f.stateMachine().isLeader())
                        .orElse(false);
    }

    /** This node's fragment replicas and the cluster map. */
    public Fragments fragments() {
        return fragments;
    }

    /** Whether this node holds a replica of the meta group. */
    public boolean holdsMetaReplica() {
        return meta.replica().isPresent();
    }

    /** This node's placement loop (empty when placement is disabled). */
    public Optional<PlacementLoop> placement() {
        return Optional.ofNullable(placement);
    }

    /** The fragment and map operations as this node runs them (tests make half a change with them). */
    FragmentOperations operations() {
        return operations;
    }

    /** Where this node's Seata requests, and those its peers forward, are routed (for tests). */
    RequestRouter router() {
        return router;
    }

    @Override
    public void close() {
        if (placement != null) {
            placement.close();
        }
        if (mapFollower != null) {
            mapFollower.close();
        }
        if (housekeeping != null) {
            housekeeping.close();
        }
        if (rmAnnouncer != null) {
            rmAnnouncer.close();
        }
        if (peerProbe != null) {
            peerProbe.close();
        }
        if (peerLinks != null) {
            peerLinks.close();
        }
        if (seata != null) {
            seata.close();
        }
        if (http != null) {
            http.close();
        }
        if (host != null) {
            host.close();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        metrics.close();
    }

    /** This node's metrics (what {@code /metrics} serves). */
    public NodeMetrics metrics() {
        return metrics;
    }
}
