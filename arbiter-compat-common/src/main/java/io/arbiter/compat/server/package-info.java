/**
 * Arbiter under test: {@link io.arbiter.compat.server.InProcessArbiter} (an {@code ArbiterNode} in the test JVM)
 * and {@link io.arbiter.compat.server.ArbiterProcess} (the server in its own JVM, for kill -9 and restart), both on
 * free loopback ports with XIDs advertised as {@code 127.0.0.1:port:n}.
 *
 * <p>Threading: each helper is driven by one test thread; {@code ArbiterProcess} copies the child's output to a
 * file through the operating system, so no thread of ours reads it.
 */
package io.arbiter.compat.server;
