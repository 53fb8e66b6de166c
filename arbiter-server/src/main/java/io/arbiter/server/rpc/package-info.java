/**
 * The Seata RPC edge: the Netty listener and pipeline, client sessions and the RM directory, and the TC's own
 * outbound calls to resource managers.
 *
 * <p>Threading: handlers run on Netty event loops and never block; shared registries are thread-safe.
 */
package io.arbiter.server.rpc;
