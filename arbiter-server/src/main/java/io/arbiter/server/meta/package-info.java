/**
 * The meta group: the small Raft group (up to 3 nodes, 5 with 5 or more) that holds the cluster map. Owns its state
 * machine and binary form ({@link io.arbiter.server.meta.MetaStateMachine}, {@link io.arbiter.server.meta.MetaCodec},
 * {@link io.arbiter.server.meta.MetaCommand}), this node's view of the group ({@link io.arbiter.server.meta.MetaGroup}),
 * following the map ({@link io.arbiter.server.meta.MapFollower}: bootstrap, poll, reconcile) and the operator
 * primitives on fragments ({@link io.arbiter.server.meta.FragmentOperations}).
 *
 * <p>Threading: the state machine runs on the meta group's apply thread and tells listeners there (they only hand
 * off); reconciliation runs on the map follower's own thread; operations are futures and never block.
 */
package io.arbiter.server.meta;
