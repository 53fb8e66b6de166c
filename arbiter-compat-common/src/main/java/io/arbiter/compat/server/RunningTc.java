package io.arbiter.compat.server;

/** A coordinator a test started (one node or a whole cluster) and closes when it is done. */
public interface RunningTc extends ArbiterEndpoint, AutoCloseable {}
