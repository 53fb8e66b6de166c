package io.arbiter.server.routing;

import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.meta.MetaGroup;
import java.util.Optional;

/** The groups of this node's cluster by number: the fragments, and the meta group as {@link FragmentIds#META}. */
public final class ClusterGroups implements GroupDirectory {
    private final Fragments fragments;
    private final MetaGroup meta;

    public ClusterGroups(Fragments fragments, MetaGroup meta) {
        this.fragments = fragments;
        this.meta = meta;
    }

    @Override
    public Optional<Proposer> ledHere(int id) {
        if (id == FragmentIds.META) {
            return meta.isLeader() ? Optional.of(meta::propose) : Optional.empty();
        }
        return fragments.local(id).filter(Fragment::isLeader).map(f -> f.service()::submitEncoded);
    }

    @Override
    public Optional<ClusterMember> leaderOf(int id) {
        return id == FragmentIds.META ? meta.leader() : fragments.leaderOf(id);
    }

    @Override
    public void notLeader(int id, String nodeId) {
        if (id != FragmentIds.META) {
            fragments.notLeader(id, nodeId);
        }
    }

    @Override
    public boolean lockOnly(int id) {
        return id != FragmentIds.META && fragments.lockOnly(id);
    }

    @Override
    public boolean exists(int id) {
        return id == FragmentIds.META || fragments.map().fragment(id).isPresent();
    }

    @Override
    public String selfId() {
        return fragments.selfId();
    }
}
