/**
 * The node's HTTP API: /health, Seata's raft-registry metadata API in {@code metadata}, and Seata's console REST
 * API in {@code console}.
 *
 * <p>Threading: handlers run on Netty event loops and never block; they read only thread-safe snapshots.
 */
package io.arbiter.server.http;
