package io.arbiter.server.metrics;

/**
 * The labels Seata puts on a TC's transaction series besides role, meter, status and statistic: the client's
 * application id and transaction service group ({@code applicationId}, {@code group}). Missing values are empty.
 */
record TransactionLabels(String applicationId, String group) {
    TransactionLabels {
        applicationId = applicationId == null ? "" : applicationId;
        group = group == null ? "" : group;
    }
}
