package io.arbiter.server;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ratis.RatisReplicaGroup;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.arbiter.server.cluster.ReplicatedClusterView;
import io.arbiter.server.config.ArbiterConfig;
import io.arbiter.server.coordinator.CoordinatorService;
import io.arbiter.server.coordinator.CoordinatorStateMachine;
import io.arbiter.server.coordinator.Housekeeping;
import io.arbiter.server.coordinator.OutcomeWaiters;
import io.arbiter.server.coordinator.PhaseTwoDriver;
import io.arbiter.server.coordinator.TransactionGateway;
import io.arbiter.server.http.HttpApiServer;
import io.arbiter.server.http.metadata.MetadataHttpApi;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Arbiter node: the coordinator fragment replicated through Ratis, the Seata RPC listener, the HTTP API, and
 * the leader's phase-two driver and housekeeping. {@link #start} returns once the node serves.
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
    private ReplicaGroup group;
    private CoordinatorStateMachine stateMachine;
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
        OutcomeWaiters waiters = new OutcomeWaiters();
        RmDirectory rms = new RmDirectory();
        OutboundCalls calls = new OutboundCalls();
        AtomicReference<PhaseTwoDriver> driver = new AtomicReference<>();
        stateMachine = new CoordinatorStateMachine(0, config.coordinator(), effects -> driver.get().execute(effects));
        List<ReplicaGroupConfig.Peer> peers = config.members().stream()
                .map(m -> new ReplicaGroupConfig.Peer(m.id(), m.host(), m.raftPort())).toList();
        if (config.joining()) { // wait, silent, until an existing member adds this node (changeCluster)
            peers = peers.stream().filter(p -> p.id().equals(config.selfId())).toList();
        }
        ReplicaGroupConfig groupConfig = ReplicaGroupConfig.builder(ReplicaGroupConfig.groupIdOf(config.group()),
                        config.selfId(), config.dataDir().resolve("raft"))
                .peers(peers)
                .joining(config.joining())
                .snapshotThresholdEntries(config.snapshotThreshold())
                .snapshotInterval(config.snapshotInterval())
                .electionTimeout(config.electionTimeout(), config.electionTimeout().multipliedBy(2))
                .maxOutstandingEntries(config.maxOutstandingEntries())
                .build();
        group = new RatisReplicaGroup(groupConfig, stateMachine);
        CoordinatorService coordinator = new CoordinatorService(group);
        cluster = new ReplicatedClusterView(config.group(), config.self(), config.members(), group);
        peerLinks = new PeerLinks(workers, calls, config.selfId());
        peerProbe = new PeerProbe(peerLinks, cluster::members, config.selfId(), workers.next());
        cluster.followLiveness(peerProbe);
        peerRms = new PeerRms();
        rmAnnouncer = new RmAnnouncer(rms, peerLinks, cluster::members, config.selfId(), workers.next());
        BranchCaller branches = new BranchCaller(rms, calls, cluster, peerLinks, peerRms, config.rmCallTimeout());
        driver.set(new PhaseTwoDriver(coordinator, waiters, branches, clock));
        TransactionGateway gateway = new TransactionGateway(coordinator, waiters, config.xidPrefix(), clock, cluster,
                peerLinks);
        housekeeping = new Housekeeping(coordinator, stateMachine, rms, gateway.atResources(), clock);
        stateMachine.onLeadership(housekeeping::resume);
        group.start();
        cluster.start();
        if (config.members().size() == 1) {
            awaitLeader();
        }

        housekeeping.start(config.tickInterval(), config.undoLogDeletePeriod(), config.undoLogSaveDays());
        seata = new SeataServer(() -> new SeataChannelHandler(gateway, rms, calls, branches, peerRms, VERSION), READ_IDLE);
        seata.start("0.0.0.0", config.port(), boss, workers);
        http = new HttpApiServer(() -> new HttpApiServer.HealthReport(cluster.leader().isPresent(),
                stateMachine.isLeader() ? "leader" : "follower", stateMachine.transactionCount(),
                stateMachine.lockCount(), cluster.members().stream().map(ClusterMember::id)
                        .filter(id -> !cluster.reachable(id)).toList()),
                List.of(MetadataHttpApi.create(cluster, config.metadataApi())));
        http.start("0.0.0.0", config.httpPort(), boss, workers);
        peerProbe.start();
        rmAnnouncer.start();
        LOG.info("Arbiter serving Seata clients on port {} (XIDs {}:*), HTTP on {}, data in {}", seata.port(),
                config.xidPrefix(), http.port(), config.dataDir().toAbsolutePath());
    }

    private void awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!group.isLeader()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica group elected no leader within 30 s");
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

    public boolean isLeader() {
        return stateMachine.isLeader();
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
        if (group != null) {
            group.close();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
