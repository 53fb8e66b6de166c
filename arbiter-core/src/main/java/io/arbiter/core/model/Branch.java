package io.arbiter.core.model;

import java.util.List;
import java.util.TreeSet;

/**
 * One branch of a global transaction, immutable; status changes produce a new instance.
 *
 * @param rowKeys         the AT row locks this branch holds or held in this fragment (empty for other modes)
 * @param remoteFragments the other fragments holding row locks of this branch (taken there with
 *                        {@code AcquireLocks}), ascending and distinct; released with the transaction's local locks
 * @param remoteRows      the row keys locked in those fragments (kept for the admin view)
 */
public record Branch(
        long branchId,
        BranchType type,
        String resourceId,
        String lockKey,
        String applicationData,
        String clientId,
        BranchStatus status,
        List<String> rowKeys,
        List<Integer> remoteFragments,
        List<String> remoteRows) {

    public Branch {
        rowKeys = List.copyOf(rowKeys);
        remoteFragments = remoteFragments == null || remoteFragments.isEmpty()
                ? List.of()
                : List.copyOf(new TreeSet<>(remoteFragments));
        remoteRows = remoteRows == null ? List.of() : List.copyOf(remoteRows);
    }

    /** A branch whose rows are all in this fragment. */
    public Branch(
            long branchId,
            BranchType type,
            String resourceId,
            String lockKey,
            String applicationData,
            String clientId,
            BranchStatus status,
            List<String> rowKeys) {
        this(branchId, type, resourceId, lockKey, applicationData, clientId, status, rowKeys, List.of(), List.of());
    }

    public Branch withStatus(BranchStatus newStatus) {
        return new Branch(
                branchId,
                type,
                resourceId,
                lockKey,
                applicationData,
                clientId,
                newStatus,
                rowKeys,
                remoteFragments,
                remoteRows);
    }

    /** This branch without {@code row} among its rows (local or remote): an operator deleted that lock. */
    public Branch withoutRow(String row) {
        List<String> local = rowKeys.stream().filter(r -> !r.equals(row)).toList();
        List<String> remote = remoteRows.stream().filter(r -> !r.equals(row)).toList();
        return new Branch(
                branchId, type, resourceId, lockKey, applicationData, clientId, status, local, remoteFragments, remote);
    }

    public Branch withReport(BranchStatus newStatus, String newApplicationData) {
        String data = newApplicationData == null ? applicationData : newApplicationData;
        return new Branch(
                branchId, type, resourceId, lockKey, data, clientId, newStatus, rowKeys, remoteFragments, remoteRows);
    }
}
