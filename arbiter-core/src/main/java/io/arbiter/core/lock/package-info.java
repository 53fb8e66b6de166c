/**
 * AT global row locks: lock-key parsing and the slot-partitioned lock table.
 *
 * <p>Threading: not thread-safe; owned by the apply thread of one {@link io.arbiter.core.Coordinator}.
 */
package io.arbiter.core.lock;
