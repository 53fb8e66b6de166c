package io.arbiter.bench.orchestrate;

import io.arbiter.bench.load.Target;
import java.util.List;

/** A coordinator configuration the comparison starts fresh for every measured point. */
interface Coordinator extends AutoCloseable {

    /** The configuration label: seata-file, seata-raft-3, arbiter-1, arbiter-3. */
    String label();

    /** Starts every node (fresh data directories) and returns once the coordinator serves. */
    void start() throws Exception;

    /** Where the client finds it. */
    Target target();

    /** The processes whose CPU counts (the load JVM adds their descendants). */
    List<Long> pids();

    /** The log files, for error messages. */
    List<java.nio.file.Path> logs();

    /**
     * Writes what the coordinator says about itself at the end of a run (which node leads what, its meters) into
     * {@code dir}, for reading a run's figures; nothing by default.
     */
    default void describeLayout(java.nio.file.Path dir) {}

    /** Stops every node cleanly (SIGTERM, then SIGKILL after a grace period). */
    @Override
    void close();
}
