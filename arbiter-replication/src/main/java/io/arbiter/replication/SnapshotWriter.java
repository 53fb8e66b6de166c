package io.arbiter.replication;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a view captured by {@link ReplicatedStateMachine#snapshot()}; runs off the apply thread. */
@FunctionalInterface
public interface SnapshotWriter {

    /** Writes the captured state to {@code out}; must not close it. */
    void writeTo(OutputStream out) throws IOException;
}
