package io.arbiter.server.rpc;

import io.arbiter.protocol.ClientVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The text with which a node tells its peers which RMs it holds: one line per RM channel,
 * {@code applicationId TAB serviceGroup TAB ip TAB port TAB version TAB resourceId,resourceId...}. It travels in the
 * resource-id field (a 32-bit-length string) of a {@code RegisterRMRequest} on a peer link, marked by a head-map
 * entry ({@link PeerHeaders#holdingsOf}). Lines that do not parse are skipped, so that a newer node's extra fields
 * or a damaged line cost only that line.
 */
final class RmHoldings {
    private RmHoldings() {}

    static String encode(List<ClientSession> rms) {
        StringBuilder out = new StringBuilder();
        for (ClientSession s : rms) {
            if (s.resourceIds().isEmpty()) {
                continue;
            }
            out.append(clean(s.applicationId()))
                    .append('\t')
                    .append(clean(s.serviceGroup()))
                    .append('\t')
                    .append(clean(s.ip()))
                    .append('\t')
                    .append(s.port())
                    .append('\t')
                    .append(clean(s.version().text()))
                    .append('\t')
                    .append(String.join(
                            ",",
                            s.resourceIds().stream()
                                    .map(RmHoldings::clean)
                                    .sorted()
                                    .toList()))
                    .append('\n');
        }
        return out.toString();
    }

    static List<ClientSession> decode(String text) {
        List<ClientSession> rms = new ArrayList<>();
        if (text == null) {
            return rms;
        }
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length < 6) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(f[3]);
            } catch (NumberFormatException e) {
                continue;
            }
            ClientSession s =
                    new ClientSession(ClientSession.Role.RM, ClientVersion.parse(f[4]), f[0], f[1], f[2], port);
            Arrays.stream(f[5].split(",")).filter(r -> !r.isEmpty()).forEach(s.resourceIds()::add);
            if (!s.resourceIds().isEmpty()) {
                rms.add(s);
            }
        }
        return rms;
    }

    /** Separators inside a field (never seen in practice) become spaces rather than breaking the line. */
    private static String clean(String field) {
        if (field == null) {
            return "";
        }
        return field.replace('\t', ' ').replace('\n', ' ').replace(',', ' ');
    }
}
