/**
 * The node's HTTP API (health now; metadata and admin APIs later).
 *
 * <p>Threading: handlers run on Netty event loops and never block; they read only thread-safe snapshots.
 */
package io.arbiter.server.http;
