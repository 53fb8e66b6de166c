package io.arbiter.core.view;

/**
 * A row that lock requests were refused on: how many times since the replica started, and who holds it now
 * ({@code holderXid} null and {@code heldSince} 0 when free). {@code heldSince} is when the holder took it: its
 * latest acquisition for a transaction of another fragment, the transaction's begin otherwise (the core keeps no
 * per-branch time).
 */
public record ContendedRow(String rowKey, long conflicts, String holderXid, long heldSince) {}
