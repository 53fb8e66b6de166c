/**
 * Seata v1 wire protocol for the Arbiter transaction coordinator: the shared vocabulary of the protocol.
 *
 * <p>This package owns the wire enumerations ({@link io.arbiter.protocol.GlobalStatus},
 * {@link io.arbiter.protocol.BranchStatus}, {@link io.arbiter.protocol.BranchType},
 * {@link io.arbiter.protocol.ResultCode}, {@link io.arbiter.protocol.TransactionExceptionCode}), the client version
 * model {@link io.arbiter.protocol.ClientVersion} that decides which enum values a peer understands, and
 * {@link io.arbiter.protocol.ProtocolException}, the single exception type for malformed or unencodable input.
 * Sub-packages: {@code message} (immutable message records), {@code codec} (SEATA body codec), {@code frame}
 * (16-byte v1 frame) and {@code compress} (body compressors).
 *
 * <p>Version rule: encoders refuse (with {@code ProtocolException}) to put an enum value on the wire that the
 * receiving client version does not know; use {@code knownBy(ClientVersion)} before choosing a value.
 * {@code TransactionExceptionCode} is the exception: it is remapped per version automatically.
 *
 * <p>Threading: every class here is stateless or immutable and therefore thread-safe.
 */
package io.arbiter.protocol;
