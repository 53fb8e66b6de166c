/**
 * Frame body compression: {@link io.arbiter.protocol.compress.Compressor} (NONE and GZIP, byte-compatible with
 * Seata's {@code CompressorType}/{@code GzipUtil}).
 *
 * <p>Threading: stateless and thread-safe.
 */
package io.arbiter.protocol.compress;
