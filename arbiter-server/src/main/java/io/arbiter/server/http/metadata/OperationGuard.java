package io.arbiter.server.http.metadata;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Who may change the cluster (fragment operations, drain and undrain) over HTTP: with a console user configured,
 * whoever logged in (checked before, as for every protected path); without one there is no login to ask for, so
 * only a client on this machine (a loopback address or one of this machine's own addresses) — an operator running
 * {@code bin/arbiter} on a node — and never one elsewhere on the network.
 *
 * <p>Threading: stateless.
 */
final class OperationGuard {
    private OperationGuard() {}

    /** Throws a 403 {@link ApiException} naming the settings to use when {@code client} may not run the operation. */
    static void check(boolean loginRequired, InetAddress client, String path) {
        if (loginRequired || fromThisMachine(client)) {
            return;
        }
        throw new ApiException(
                HttpResponseStatus.FORBIDDEN,
                path + " changes the cluster: with no console user "
                        + "configured it is taken only from this machine (not from "
                        + (client == null ? "an unknown address" : client.getHostAddress())
                        + "); set console.user.username and console.user.password (and "
                        + "seata.security.secretKey) to allow it after a login");
    }

    static boolean fromThisMachine(InetAddress client) {
        if (client == null) {
            return false;
        }
        if (client.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(client) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
