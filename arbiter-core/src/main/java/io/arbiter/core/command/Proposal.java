package io.arbiter.core.command;

/** A command as it travels through the log, with the request id that deduplicates it (null: no deduplication). */
public record Proposal(RequestId requestId, Command command) {}
