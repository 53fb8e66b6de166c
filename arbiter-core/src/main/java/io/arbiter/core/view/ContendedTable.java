package io.arbiter.core.view;

/** Refused lock requests counted per table ({@code resource^^^table}) since the replica started. */
public record ContendedTable(String resourceId, String tableName, long conflicts) {}
