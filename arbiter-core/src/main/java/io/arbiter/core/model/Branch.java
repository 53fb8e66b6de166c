package io.arbiter.core.model;

import java.util.List;

/**
 * One branch of a global transaction, immutable; status changes produce a new instance.
 *
 * @param rowKeys the AT row locks this branch holds or held (empty for other modes)
 */
public record Branch(long branchId, BranchType type, String resourceId, String lockKey, String applicationData,
                     String clientId, BranchStatus status, List<String> rowKeys) {

    public Branch {
        rowKeys = List.copyOf(rowKeys);
    }

    public Branch withStatus(BranchStatus newStatus) {
        return new Branch(branchId, type, resourceId, lockKey, applicationData, clientId, newStatus, rowKeys);
    }

    public Branch withReport(BranchStatus newStatus, String newApplicationData) {
        String data = newApplicationData == null ? applicationData : newApplicationData;
        return new Branch(branchId, type, resourceId, lockKey, data, clientId, newStatus, rowKeys);
    }
}
