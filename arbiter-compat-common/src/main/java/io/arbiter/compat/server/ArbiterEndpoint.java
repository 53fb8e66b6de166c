package io.arbiter.compat.server;

/** Where a running Arbiter listens: what a Seata client needs to reach it and what its XIDs start with. */
public interface ArbiterEndpoint {
    /** The host advertised in XIDs and used by clients. */
    String HOST = "127.0.0.1";

    /** The address clients reach this server at and that its XIDs start with ({@link #HOST} unless overridden). */
    default String host() {
        return HOST;
    }

    /** The Seata RPC port. */
    int port();

    /** The HTTP port ({@code /health}). */
    int httpPort();

    /** {@code host:port}, the value for Seata's {@code service.default.grouplist}. */
    default String address() {
        return host() + ":" + port();
    }

    /** A regular expression every XID this server hands out must match. */
    default String xidPattern() {
        return "^" + host().replace(".", "\\.") + ":" + port() + ":[1-9][0-9]*$";
    }
}
