package io.arbiter.server;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.arbiter.server.cluster.ReplicatedClusterView;
import io.arbiter.server.config.ArbiterConfig;
import io.arbiter.server.coordinator.BranchLocks;
import io.arbiter.server.coordinator.Housekeeping;
import io.arbiter.server.coordinator.OutcomeWaiters;
import io.arbiter.server.coordinator.PhaseTwoDriver;
import io.arbiter.server.coordinator.TransactionRequests;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.fragment.ReplicaHost;
import io.arbiter.server.fragment.SingleGroupHost;
import io.arbiter.server.http.HttpApiServer;
import io.arbiter.server.http.metadata.MetadataHttpApi;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.routing.RequestRouter;
import io.arbiter.server.rpc.BranchCaller;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
    /** Seata closes channels after 15 s without a read; so do we. */
    private static final Duration READ_IDLE = Duration.ofSeconds(15);
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
        LongSupplier clock = System::currentTimeMillis;
        FragmentIds ids = new FragmentIds(config.group());
        ClusterMap map = ClusterMap.initial(config.fragments(),
                config.members().stream().map(ClusterMember::id).toList(), Integer.MAX_VALUE);
        Map<Integer, Fragment> made = new ConcurrentHashMap<>();
        Function<UUID, ReplicatedStateMachine> stateMachines = groupId -> {
            int f = ids.fragmentOf(groupId).orElseThrow(() -> new IllegalStateException(
                    "the data directory holds Raft group " + groupId + ", which is no fragment of group '"
                            + config.group() + "'"));
            return made.computeIfAbsent(f, k -> new Fragment(k, config.coordinator())).stateMachine();
        };
        host = newHost(stateMachines);
        AtomicReference<ReplicatedClusterView> view = new AtomicReference<>();
        fragments = new Fragments(config.selfId(), map, id -> view.get() == null ? Optional.empty()
                : view.get().member(id));
        host.start();
        List<ReplicaGroupConfig.Peer> peers = config.members().stream()
                .map(m -> new ReplicaGroupConfig.Peer(m.id(), m.host(), m.raftPort())).toList();
        if (config.joining()) { // wait, silent, until an existing member adds this node (changeCluster)
            peers = peers.stream().filter(p -> p.id().equals(config.selfId())).toList();
        }
        for (ClusterMap.FragmentInfo info : map.hostedBy(config.selfId())) {
            ReplicaGroup group = host.addGroup(ids.groupId(info.id()), peers, config.joining()).get();
            Fragment fragment = made.computeIfAbsent(info.id(), k -> new Fragment(k, config.coordinator()));
            fragment.attach(group);
            fragments.add(fragment);
        }
        Fragment first = fragments.local(map.fragments().get(0).id()).orElseThrow();
        cluster = new ReplicatedClusterView(config.group(), config.self(), config.members(), first.group(),
                fragments.all().stream().map(Fragment::group).toList());
        view.set(cluster);

        OutcomeWaiters waiters = new OutcomeWaiters();
        RmDirectory rms = new RmDirectory();
        OutboundCalls calls = new OutboundCalls();
        peerLinks = new PeerLinks(workers, calls, config.selfId());
        peerProbe = new PeerProbe(peerLinks, cluster::members, config.selfId(), workers.next());
        cluster.followLiveness(peerProbe);
        peerRms = new PeerRms();
        rmAnnouncer = new RmAnnouncer(rms, peerLinks, cluster::members, config.selfId(), workers.next());
        BranchCaller branches = new BranchCaller(rms, calls, cluster, peerLinks, peerRms, config.rmCallTimeout());
        FragmentCommands commands = new FragmentCommands(fragments, peerLinks, clock);
        TransactionRequests requests = new TransactionRequests(waiters, config.xidPrefix(), clock, BranchLocks.LOCAL);
        RequestRouter router = new RequestRouter(fragments, requests, peerLinks, clock);
        housekeeping = new Housekeeping(fragments, rms, requests.atResources(), clock);
        for (Fragment fragment : fragments.all()) {
            PhaseTwoDriver driver = new PhaseTwoDriver(fragment.service(), waiters, branches, clock);
            fragment.onEffects(driver::execute);
            fragment.stateMachine().onLeadership(() -> housekeeping.resume(fragment));
            if (fragment.isLeader()) {
                housekeeping.resume(fragment); // it led before the hooks were in place
            }
            fragments.follow(fragment);
        }
        cluster.start();
        if (config.members().size() == 1) {
            awaitLeaders();
        }

        housekeeping.start(config.tickInterval(), config.undoLogDeletePeriod(), config.undoLogSaveDays());
        seata = new SeataServer(() -> new SeataChannelHandler(router, commands, rms, calls, branches, peerRms,
                VERSION), READ_IDLE);
        seata.start("0.0.0.0", config.port(), boss, workers);
        http = new HttpApiServer(this::health, List.of(MetadataHttpApi.create(cluster, config.metadataApi())));
        http.start("0.0.0.0", config.httpPort(), boss, workers);
        peerProbe.start();
        rmAnnouncer.start();
        LOG.info("Arbiter serving Seata clients on port {} (XIDs {}:*), HTTP on {}, {} fragment(s), data in {}",
                seata.port(), config.xidPrefix(), http.port(), fragments.all().size(),
                config.dataDir().toAbsolutePath());
    }

    private ReplicaHost newHost(Function<UUID, ReplicatedStateMachine> stateMachines) {
        ReplicaGroupConfig settings = ReplicaGroupConfig.builder(new FragmentIds(config.group()).groupId(0),
                        config.selfId(), config.dataDir().resolve("raft"))
                .peers(config.members().stream()
                        .map(m -> new ReplicaGroupConfig.Peer(m.id(), m.host(), m.raftPort())).toList())
                .snapshotThresholdEntries(config.snapshotThreshold())
                .snapshotInterval(config.snapshotInterval())
                .electionTimeout(config.electionTimeout(), config.electionTimeout().multipliedBy(2))
                .maxOutstandingEntries(config.maxOutstandingEntries())
                .build();
        if (config.fragments() != 1) {
            throw new IllegalStateException("arbiter.fragments: only 1 is supported by this build");
        }
        return new SingleGroupHost(settings, stateMachines);
    }

    private HttpApiServer.HealthReport health() {
        int transactions = 0;
        int locks = 0;
        for (Fragment f : fragments.all()) {
            transactions += f.stateMachine().transactionCount();
            locks += f.stateMachine().lockCount();
        }
        return new HttpApiServer.HealthReport(cluster.leader().isPresent(), isLeader() ? "leader" : "follower",
                transactions, locks, cluster.members().stream().map(ClusterMember::id)
                .filter(id -> !cluster.reachable(id)).toList());
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
        return fragments != null && fragments.map().fragments().stream().findFirst()
                .flatMap(f -> fragments.local(f.id())).map(f -> f.stateMachine().isLeader()).orElse(false);
    }

    /** This node's fragment replicas and the cluster map. */
    public Fragments fragments() {
        return fragments;
    }

    @Override
    public void close() {
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
    }
}
