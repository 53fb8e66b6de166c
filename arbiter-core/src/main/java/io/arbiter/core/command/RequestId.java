package io.arbiter.core.command;

/**
 * Identifies one client request across retries: the node that first received it ({@code origin}, random per
 * process) and a sequence number there. A command proposed again with the same id (after a leader change, or a
 * lost answer) is applied once; the retry gets the first answer.
 */
public record RequestId(long origin, long sequence) {}
