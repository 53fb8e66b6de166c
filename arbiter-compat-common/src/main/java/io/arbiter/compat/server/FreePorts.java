package io.arbiter.compat.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds TCP ports that are free right now (all held open until all are found, so they are distinct), below Linux's
 * ephemeral range (32768 and up): a port handed out for {@code bind(0)} can be taken by an outgoing connection's
 * source port before the node process binds it.
 */
public final class FreePorts {
    private FreePorts() {}

    public static int[] allocate(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0, attempts = 0; i < count; attempts++) {
                if (attempts > 100 * count) {
                    throw new IOException("no free port found below 32000");
                }
                int candidate = 10_000
                        + java.util.concurrent.ThreadLocalRandom.current().nextInt(22_000);
                try {
                    ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getByName("0.0.0.0"));
                    s.setReuseAddress(true);
                    held.add(s);
                    ports[i++] = candidate;
                } catch (java.net.BindException taken) {
                    // in use: another one
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the port is released either way
                }
            }
        }
    }
}
