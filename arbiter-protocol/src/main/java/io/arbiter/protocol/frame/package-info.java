/**
 * Protocol v1 framing: {@link io.arbiter.protocol.frame.Frame} (header fields + head map + decoded body),
 * {@link io.arbiter.protocol.frame.MessageKind} (the messageType byte) and
 * {@link io.arbiter.protocol.frame.FrameCodec} (whole-frame encode/decode, plus the length-field framing constants
 * a Netty pipeline needs).
 *
 * <p>Threading: {@code Frame} is immutable, the codecs are stateless; all thread-safe.
 */
package io.arbiter.protocol.frame;
