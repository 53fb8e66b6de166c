/**
 * Fragments: the coordinator state split into Raft groups. Owns the cluster map ({@link
 * io.arbiter.server.fragment.ClusterMap}: fragments, the nodes holding their replicas, lock slots → fragment, an
 * epoch), the group id of each fragment ({@link io.arbiter.server.fragment.FragmentIds}), this node's replicas
 * ({@link io.arbiter.server.fragment.Fragment}, registered in {@link io.arbiter.server.fragment.Fragments}) and the
 * host their groups run on ({@link io.arbiter.server.fragment.ReplicaHost}).
 *
 * <p>Threading: each fragment's state machine runs on its group's apply thread; the registry and map are immutable
 * values or thread-safe, read from event loops without blocking.
 */
package io.arbiter.server.fragment;
