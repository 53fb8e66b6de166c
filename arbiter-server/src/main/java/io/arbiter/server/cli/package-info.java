/**
 * The command line ({@code bin/arbiter}): parses flags with picocli, loads configuration, runs a node until
 * Ctrl-C / SIGTERM.
 *
 * <p>Threading: the main thread waits; a shutdown hook stops the node.
 */
package io.arbiter.server.cli;
