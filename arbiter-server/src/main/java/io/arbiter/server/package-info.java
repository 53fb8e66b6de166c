/**
 * An Arbiter node ({@link io.arbiter.server.ArbiterNode}): wires replication, the coordinator, the Seata listener
 * and the HTTP API together.
 *
 * <p>Threading: start/close on one thread; parts run on Netty event loops, the replication apply thread and the
 * housekeeping thread.
 */
package io.arbiter.server;
