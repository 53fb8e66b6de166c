/**
 * Node configuration: the immutable {@link io.arbiter.server.config.ArbiterConfig} and its loader, which accepts
 * Seata's key names and fails fast, naming the key, on anything unknown or invalid.
 *
 * <p>Threading: loaded once on the main thread before anything starts; the record is immutable.
 */
package io.arbiter.server.config;
