package io.arbiter.server;

import java.time.Clock;

/**
 * The one place the server reads the wall clock (the build refuses it anywhere else in arbiter-server: see
 * {@code build/forbidden-wallclock.txt}). The node hands these to the parts that need the time; tests and the seeded
 * simulations hand in clocks of their own.
 *
 * <p>Threading: stateless.
 */
public final class WallClock {
    private WallClock() {}

    /** Milliseconds since the epoch, now. */
    @SuppressForbidden(reason = "the server's single source of the wall clock, injected everywhere else")
    public static long millis() {
        return System.currentTimeMillis();
    }

    /** A UTC {@link Clock} (JWT expiry, dates in answers). */
    @SuppressForbidden(reason = "the server's single source of the wall clock, injected everywhere else")
    public static Clock utc() {
        return Clock.systemUTC();
    }
}
