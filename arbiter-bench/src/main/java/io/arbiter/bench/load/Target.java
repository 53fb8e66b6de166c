package io.arbiter.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the Seata client finds its TC: {@code host:port[,host:port...]} (Seata's {@code service.default.grouplist}
 * with {@code registry.type=file}; ',' or ';' between addresses), or {@code raft:host:httpPort[,...]} (the raft
 * registry's HTTP addresses, {@code registry.type=raft}, as for Seata's raft mode and Arbiter's metadata API).
 */
public record Target(Kind kind, List<String> addresses) {
    /** The client transaction group every bench run uses. */
    public static final String TX_GROUP = "bench_tx_group";
    /** The Seata cluster (raft group) the transaction group maps to. */
    public static final String CLUSTER = "default";

    public enum Kind {
        GROUPLIST,
        RAFT
    }

    public Target {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a target needs at least one host:port");
        }
        addresses = List.copyOf(addresses);
    }

    public static Target parse(String text) {
        String t = text.trim();
        Kind kind = Kind.GROUPLIST;
        if (t.startsWith("raft:")) {
            kind = Kind.RAFT;
            t = t.substring(5);
        } else if (t.startsWith("grouplist:")) {
            t = t.substring(10);
        } else if (t.startsWith("file:")) {
            t = t.substring(5);
        }
        List<String> addrs = new ArrayList<>();
        for (String a : t.split("[,;]")) {
            String s = a.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException("'" + s + "' is not host:port (target " + text + ")");
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not host:port (target " + text + ")");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in '" + s + "'");
            }
            addrs.add(s);
        }
        return new Target(kind, addrs);
    }

    public List<Integer> ports() {
        return addresses.stream()
                .map(a -> Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)))
                .toList();
    }

    /** The client configuration, as system properties (Seata reads these before registry.conf / file.conf). */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("service.vgroupMapping." + TX_GROUP, CLUSTER);
        if (kind == Kind.RAFT) {
            p.put("registry.type", "raft");
            p.put("registry.raft.serverAddr", String.join(",", addresses));
        } else {
            p.put("registry.type", "file");
            // Seata's file registry splits the grouplist on ';' (FileRegistryServiceImpl.ENDPOINT_SPLIT_CHAR), the
            // raft registry its server addresses on ','
            p.put("service." + CLUSTER + ".grouplist", String.join(";", addresses));
        }
        return p;
    }

    @Override
    public String toString() {
        return (kind == Kind.RAFT ? "raft:" : "") + String.join(",", addresses);
    }
}
