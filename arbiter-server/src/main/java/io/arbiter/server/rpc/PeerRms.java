package io.arbiter.server.rpc;

import io.arbiter.server.WallClock;
import io.arbiter.server.cluster.ClusterMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Which RMs the other nodes hold, as they last told this node ({@link RmAnnouncer}): the leader uses it to send a
 * phase-two call straight to a node that holds a suitable RM channel. What a node said expires after
 * {@link #MAX_AGE_MILLIS} without a new announcement (nodes announce every few seconds and on every change).
 *
 * <p>Threading: thread-safe; announcements arrive on event loops, queries come from the phase-two driver.
 */
public final class PeerRms {
    static final long MAX_AGE_MILLIS = 3 * RmAnnouncer.PERIOD.toMillis();

    private record Told(List<ClientSession> rms, long atMillis) {}

    private final Map<String, Told> byPeer = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public PeerRms() {
        this(WallClock::millis);
    }

    PeerRms(LongSupplier clock) {
        this.clock = clock;
    }

    /** {@code peerId} holds exactly {@code rms} now. */
    void replace(String peerId, List<ClientSession> rms) {
        byPeer.put(peerId, new Told(List.copyOf(rms), clock.getAsLong()));
    }

    /**
     * The order in which to ask {@code peers} to relay a phase-two call: those that said they hold a suitable RM,
     * best match first, then the others that this node reaches, then the rest.
     */
    List<ClusterMember> order(
            List<ClusterMember> peers,
            String resourceId,
            String clientId,
            String applicationId,
            boolean tryOtherApp,
            Predicate<String> reachable) {
        Map<ClusterMember, RmMatch> matches = new HashMap<>();
        for (ClusterMember peer : peers) {
            matches.put(peer, bestMatch(peer.id(), resourceId, clientId, applicationId, tryOtherApp));
        }
        List<ClusterMember> ordered = new ArrayList<>(peers);
        ordered.sort(Comparator.comparingInt((ClusterMember p) -> matches.get(p).ordinal())
                .thenComparing(p -> reachable.test(p.id()) ? 0 : 1));
        return ordered;
    }

    private RmMatch bestMatch(
            String peerId, String resourceId, String clientId, String applicationId, boolean tryOtherApp) {
        Told told = byPeer.get(peerId);
        RmMatch best = RmMatch.NONE;
        if (told == null || clock.getAsLong() - told.atMillis() > MAX_AGE_MILLIS) {
            return best;
        }
        for (ClientSession rm : told.rms()) {
            if (rm.resourceIds().contains(resourceId)) {
                RmMatch m = RmMatch.of(rm, clientId, applicationId, tryOtherApp);
                if (m.betterThan(best)) {
                    best = m;
                }
            }
        }
        return best;
    }

    /** For operators and tests: peer id to the client ids of the RMs it holds, as last told. */
    public Map<String, List<String>> describe() {
        Map<String, List<String>> out = new TreeMap<>();
        long now = clock.getAsLong();
        byPeer.forEach((peer, told) -> {
            if (now - told.atMillis() <= MAX_AGE_MILLIS) {
                out.put(
                        peer,
                        told.rms().stream()
                                .map(s -> s.clientId() + " " + new TreeSet<>(s.resourceIds()))
                                .sorted()
                                .toList());
            }
        });
        return out;
    }
}
