/**
 * The node's HTTP API: /health, and Seata's raft-registry metadata API in {@code metadata}.
 *
 * <p>Threading: handlers run on Netty event loops and never block; they read only thread-safe snapshots.
 */
package io.arbiter.server.http;
