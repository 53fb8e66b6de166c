/** Tests of the server helpers: they start, serve, die on SIGKILL and come back on the same ports. */
package io.arbiter.compat.server;
