/**
 * AT global row locks: lock-key parsing ({@link io.arbiter.core.lock.LockKeys}) and the slot-partitioned lock table
 * of one fragment ({@link io.arbiter.core.lock.LockTable}). The slot of a row key
 * ({@link io.arbiter.core.lock.LockTable#slotOf}) is a contract between nodes and versions: the cluster map assigns
 * slots to fragments and a row is locked in the fragment owning its slot. Holders are transactions of this fragment
 * (rows derived from their branches) or of other fragments ({@link io.arbiter.core.lock.ForeignHolder}: XID, time
 * of the latest acquisition, rows), kept for the orphan sweep.
 *
 * <p>Threading: not thread-safe; owned by the apply thread of one {@link io.arbiter.core.Coordinator}. A
 * {@link io.arbiter.core.lock.ForeignHolder} handed to a snapshot is immutable from then on (copy on write).
 */
package io.arbiter.core.lock;
