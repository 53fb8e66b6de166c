/**
 * Seata protocol message bodies as immutable Java records (one per {@link io.arbiter.protocol.message.MessageTypeCode}
 * a TC sends or receives), under the sealed interface {@link io.arbiter.protocol.message.SeataMessage}.
 *
 * <p>Strings may be null; on the wire null and "" are the same (length 0) and decode as null. Response records carry
 * the <em>logical</em> {@link io.arbiter.protocol.TransactionExceptionCode}; the codec maps it to the ordinal the
 * peer's version expects. Lists are defensively copied and unmodifiable.
 *
 * <p>Threading: every type here is immutable and therefore thread-safe.
 */
package io.arbiter.protocol.message;
