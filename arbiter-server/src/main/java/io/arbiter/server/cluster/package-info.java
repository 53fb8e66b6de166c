/**
 * The cluster as this node sees it: members and their endpoints, leader, term, membership changes.
 *
 * <p>Threading: thread-safe views; changes arrive from the replication layer's threads.
 */
package io.arbiter.server.cluster;
