package io.arbiter.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A global transaction and its branches in registration order. Mutable; owned by the apply thread.
 *
 * <p>{@code phaseTwoStartedAt} is when commit or rollback began (the retry deadline counts from it);
 * {@code nextAttemptAt} is when phase two should be (re)attempted if the branches are still pending;
 * {@code attempts} counts phase-two rounds for the back-off.
 */
public final class GlobalTransaction {
    private final long transactionId;
    private final String xid;
    private final String applicationId;
    private final String serviceGroup;
    private final String name;
    private final int timeoutMillis;
    private final long beganAt;
    private final Map<Long, Branch> branches = new LinkedHashMap<>();
    private GlobalStatus status;
    private boolean locksReleased;
    private long phaseTwoStartedAt;
    private long nextAttemptAt;
    private int attempts;
    private boolean retryStopped;
    private int epoch;

    public GlobalTransaction(
            long transactionId,
            String xid,
            String applicationId,
            String serviceGroup,
            String name,
            int timeoutMillis,
            long beganAt) {
        this.transactionId = transactionId;
        this.xid = xid;
        this.applicationId = applicationId;
        this.serviceGroup = serviceGroup;
        this.name = name;
        this.timeoutMillis = timeoutMillis;
        this.beganAt = beganAt;
        this.status = GlobalStatus.Begin;
    }

    /** A deep copy, for snapshots. */
    public GlobalTransaction copy() {
        GlobalTransaction c =
                new GlobalTransaction(transactionId, xid, applicationId, serviceGroup, name, timeoutMillis, beganAt);
        c.branches.putAll(branches);
        c.status = status;
        c.locksReleased = locksReleased;
        c.phaseTwoStartedAt = phaseTwoStartedAt;
        c.nextAttemptAt = nextAttemptAt;
        c.attempts = attempts;
        c.retryStopped = retryStopped;
        return c;
    }

    public long transactionId() {
        return transactionId;
    }

    public String xid() {
        return xid;
    }

    public String applicationId() {
        return applicationId;
    }

    public String serviceGroup() {
        return serviceGroup;
    }

    public String name() {
        return name;
    }

    public int timeoutMillis() {
        return timeoutMillis;
    }

    public long beganAt() {
        return beganAt;
    }

    public GlobalStatus status() {
        return status;
    }

    public boolean locksReleased() {
        return locksReleased;
    }

    public long phaseTwoStartedAt() {
        return phaseTwoStartedAt;
    }

    public long nextAttemptAt() {
        return nextAttemptAt;
    }

    public int attempts() {
        return attempts;
    }
    /** True while an operator has stopped phase-two retries (no calls, no retry timer, no retry deadline). */
    public boolean retryStopped() {
        return retryStopped;
    }

    public long expiresAt() {
        return beganAt + timeoutMillis;
    }

    public void status(GlobalStatus newStatus) {
        this.status = newStatus;
    }

    public void locksReleased(boolean released) {
        this.locksReleased = released;
    }

    public void phaseTwoStartedAt(long at) {
        this.phaseTwoStartedAt = at;
    }

    public void nextAttemptAt(long at) {
        this.nextAttemptAt = at;
    }

    public void attempts(int n) {
        this.attempts = n;
    }

    public void retryStopped(boolean stopped) {
        this.retryStopped = stopped;
    }

    /** The snapshot epoch this instance belongs to (copy-on-write bookkeeping; not part of the state). */
    public int epoch() {
        return epoch;
    }

    public void epoch(int e) {
        this.epoch = e;
    }

    public Collection<Branch> branches() {
        return branches.values();
    }

    public Branch branch(long branchId) {
        return branches.get(branchId);
    }

    public void putBranch(Branch branch) {
        branches.put(branch.branchId(), branch);
    }

    /** Forgets a branch (an operator deleted it). */
    public void removeBranch(long branchId) {
        branches.remove(branchId);
    }

    /**
     * Seata's status code as the console reports it: 19 (StopCommitOrCommitRetry) or 20
     * (StopRollbackOrRollbackRetry) while retries are stopped, else the status's own code.
     */
    public int reportedStatusCode() {
        if (!retryStopped) {
            return status.code();
        }
        return status.isCommitting() ? GlobalStatus.STOP_COMMIT_RETRY_CODE : GlobalStatus.STOP_ROLLBACK_RETRY_CODE;
    }

    /** Branches whose phase two is not over, in registration order. */
    public List<Branch> pendingBranches() {
        List<Branch> pending = new ArrayList<>();
        for (Branch b : branches.values()) {
            if (!b.status().isPhaseTwoFinal()) {
                pending.add(b);
            }
        }
        return pending;
    }

    /** The other fragments holding row locks of this transaction's branches, ascending. */
    public List<Integer> remoteFragments() {
        TreeSet<Integer> fragments = null;
        for (Branch b : branches.values()) {
            if (!b.remoteFragments().isEmpty()) {
                if (fragments == null) {
                    fragments = new TreeSet<>();
                }
                fragments.addAll(b.remoteFragments());
            }
        }
        return fragments == null ? List.of() : List.copyOf(fragments);
    }

    /** Seata's rule: a transaction whose branches are all AT commits asynchronously. */
    public boolean canCommitAsync() {
        return branches.values().stream().allMatch(b -> b.type() == BranchType.AT);
    }

    /** Seata's saga rule: the first branch is SAGA, or the name carries the saga prefix. */
    public boolean isSaga() {
        if (name != null && name.startsWith("$Saga_")) {
            return true;
        }
        return !branches.isEmpty() && branches.values().iterator().next().type() == BranchType.SAGA;
    }
}
