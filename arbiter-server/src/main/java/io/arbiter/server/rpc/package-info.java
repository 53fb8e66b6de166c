/**
 * The Seata RPC edge: the Netty listener and pipeline, client sessions and the RM directory, the TC's own outbound
 * calls to resource managers, and the links between nodes: forwarding and phase-two relays
 * ({@link io.arbiter.server.rpc.PeerLinks}), the probe that tells which members answer
 * ({@link io.arbiter.server.rpc.PeerProbe}), and the announcements of which RMs each node holds
 * ({@link io.arbiter.server.rpc.RmAnnouncer} to {@link io.arbiter.server.rpc.PeerRms}).
 *
 * <p>Threading: handlers run on Netty event loops and never block; the probe and the announcer each run on one
 * event loop; shared registries are thread-safe.
 */
package io.arbiter.server.rpc;
