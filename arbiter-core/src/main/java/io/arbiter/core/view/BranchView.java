package io.arbiter.core.view;

import io.arbiter.core.model.BranchType;

/** A branch as the console shows it; {@code status} is Seata's branch status code. */
public record BranchView(
        long branchId,
        BranchType type,
        String resourceId,
        int status,
        String clientId,
        String applicationData,
        String lockKey) {}
