/**
 * The SEATA body codec: {@link io.arbiter.protocol.codec.SeataCodec} turns a
 * {@link io.arbiter.protocol.message.SeataMessage} into {@code i16 typeCode + payload} bytes and back, with the exact
 * layouts and quirks of Seata's own serializer, and with version-aware enum mapping.
 *
 * <p>Threading: all classes here are stateless (static methods only) and thread-safe; callers own the
 * {@code ByteBuf}s they pass in.
 */
package io.arbiter.protocol.codec;
