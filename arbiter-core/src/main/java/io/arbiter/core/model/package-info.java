/**
 * Domain model of the coordinator: global transactions, branches, their statuses and error codes.
 * Codes equal Seata's wire codes so that mapping at the edge is an identity.
 *
 * <p>Threading: records and enums are immutable; {@link io.arbiter.core.model.GlobalTransaction} is mutable and
 * owned by the single apply thread of its {@link io.arbiter.core.Coordinator}.
 */
package io.arbiter.core.model;
