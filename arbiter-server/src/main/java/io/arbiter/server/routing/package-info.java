/**
 * Where work goes: a Seata request to the leader of the fragment its XID names (a begin to a fragment this node
 * leads), forwarded over a peer link when that leader is elsewhere ({@link io.arbiter.server.routing.RequestRouter});
 * a coordinator command to another fragment's leader ({@link io.arbiter.server.routing.FragmentCommands}); both
 * retried across leader changes with the same request id so that they apply once. What a request means is the
 * coordinator package's business.
 *
 * <p>Threading: thread-safe, never blocking; called on Netty event loops, futures complete on event loops or
 * replication threads.
 */
package io.arbiter.server.routing;
