package io.arbiter.replication.ratis;

import io.arbiter.replication.GroupListener;
import io.arbiter.replication.GroupView;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a replica's {@link GroupView}: reads membership, leader, term and role from the Ratis division whenever
 * asked ({@link #refresh}, on Ratis events and on a short timer) and tells the listeners when anything changed.
 *
 * <p>Which configuration counts as committed: Raft acts on the newest configuration in the log at once, committed or
 * not. This class reports the newest <em>stable</em> configuration known to be committed: a stable one whose log index
 * is at or below the commit index; during joint consensus (old and new peers), the old peers, which were committed
 * before the change could start. A replica whose Ratis division stopped and whose newest configuration no longer
 * lists it was removed: it reports that configuration and {@code member=false}.
 *
 * <p>Threading: {@link #refresh}, listener calls and listener (un)registration run on the notifier executor (a
 * single thread), so views are published in version order without locks; {@link #current()} from any thread.
 */
final class GroupViewTracker {

    private static final Logger LOG = LoggerFactory.getLogger(GroupViewTracker.class);

    private final String selfId;
    private final Executor notifier;
    private final List<GroupListener> listeners = new CopyOnWriteArrayList<>();
    private volatile GroupView current;
    /** Whether a refresh found this replica a member since it started. */
    private volatile boolean joined;

    GroupViewTracker(String selfId, List<Peer> initialPeers, Executor notifier) {
        this.selfId = selfId;
        this.notifier = notifier;
        this.current = new GroupView(0, selfId, initialPeers, Optional.empty(), 0, false, false);
    }

    GroupView current() {
        return current;
    }

    /** Whether this replica has been a member since it started (see {@code ReplicaGroup#joinedItsGroup}). */
    boolean joined() {
        return joined;
    }

    /** Notifier thread: re-reads the division; {@code running} is false once our replica group is closing. */
    void refresh(RaftServer.Division division, boolean running) {
        DivisionInfo info = division.getInfo();
        boolean alive = running && info.isAlive();
        RaftConfiguration conf = division.getRaftConf();
        Collection<RaftPeer> latest = conf.getCurrentPeers();
        Collection<RaftPeer> previous = conf.getPreviousPeers();
        boolean inLatest = RaftPeers.containsId(latest, selfId) || RaftPeers.containsId(previous, selfId);

        List<Peer> peers = current.peers();
        if (!previous.isEmpty()) {
            peers = RaftPeers.fromRaft(previous);
        } else if (conf.getLogEntryIndex() <= committedIndex(division) || current.version() == 0) {
            peers = RaftPeers.fromRaft(latest);
        }
        if (!info.isAlive() && running && !RaftPeers.containsId(latest, selfId)) {
            peers = RaftPeers.fromRaft(latest); // removed: the configuration without us is the one in force
        }
        boolean member = alive && inLatest;
        if (member) {
            joined = true;
        }
        if (current.member() && !member) {
            LOG.info(
                    "replica {} is no longer a member of its group; configuration {}",
                    selfId,
                    latest.stream().map(p -> p.getId().toString()).toList());
        }
        Optional<String> leaderId =
                alive ? Optional.ofNullable(info.getLeaderId()).map(RaftPeerId::toString) : Optional.empty();
        publish(new GroupView(
                current.version() + 1,
                selfId,
                peers,
                leaderId,
                info.getCurrentTerm(),
                alive && info.isLeader() && info.isLeaderReady(),
                member));
    }

    /** Notifier thread: the replica closed; it no longer leads nor takes part. */
    void closed() {
        GroupView c = current;
        publish(new GroupView(c.version() + 1, selfId, c.peers(), Optional.empty(), c.term(), false, false));
    }

    private static long committedIndex(RaftServer.Division division) {
        try {
            return division.getRaftLog().getLastCommittedIndex();
        } catch (RuntimeException e) {
            return -1; // the log is closed: keep what we have
        }
    }

    private void publish(GroupView next) {
        if (current.version() > 0 && !next.differsFrom(current)) {
            return;
        }
        current = next;
        for (GroupListener l : listeners) {
            deliver(l, next);
        }
    }

    void addListener(GroupListener listener) {
        try {
            notifier.execute(() -> {
                listeners.add(listener);
                deliver(listener, current);
            });
        } catch (RejectedExecutionException e) {
            deliver(listener, current); // closed: the current view is the last one
        }
    }

    void removeListener(GroupListener listener) {
        try {
            notifier.execute(() -> listeners.remove(listener)); // after any pending addListener of it
        } catch (RejectedExecutionException e) {
            listeners.remove(listener);
        }
    }

    private static void deliver(GroupListener listener, GroupView view) {
        try {
            listener.onChange(view);
        } catch (RuntimeException e) {
            LOG.warn("group listener {} threw on view {}", listener, view.version(), e);
        }
    }
}
