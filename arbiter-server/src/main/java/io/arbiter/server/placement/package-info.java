/**
 * Automatic placement in a running cluster: the loop on the meta group's leader ({@link
 * io.arbiter.server.placement.PlacementLoop}) that reads the cluster (map, reachability, the nodes' load reports),
 * asks the pure scheduler of {@code arbiter-placement} what to do and carries its operators out on the nodes holding
 * the fragments ({@link io.arbiter.server.placement.ClusterActuator} → {@link
 * io.arbiter.server.placement.PeerOperationServer} over peer links); membership changes that drain a leaving member
 * first ({@link io.arbiter.server.placement.MembershipChanges}).
 *
 * <p>Threading: the loop and its reader, reports bookkeeping and actuator run on the loop's single thread (answers
 * from peers are posted back to it); the peer operation server runs on event loops and never blocks.
 */
package io.arbiter.server.placement;
