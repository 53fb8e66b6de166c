/**
 * The cluster as this node sees it: members and their endpoints, leader, Raft term, which members this node can
 * reach ({@link io.arbiter.server.cluster.MemberLiveness}), membership changes, and a local version that rises on
 * every change of any of these (for long polls).
 *
 * <p>Threading: thread-safe views; changes arrive from the replication layer's threads and the peer prober's event
 * loop; waiters are woken on the thread that made the change and must not block.
 */
package io.arbiter.server.cluster;
