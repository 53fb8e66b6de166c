package io.arbiter.server.config;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.http.metadata.LeaderChoice;
import io.arbiter.server.http.metadata.MetadataApiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds an {@link ArbiterConfig} from a properties file and command-line overrides. Seata's server keys are
 * accepted where they mean the same thing; unknown keys and bad values stop the start with a message naming the
 * key. Nothing is silently replaced.
 */
public final class ConfigLoader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);
    /** Our key → accepted aliases (Seata's names). */
    private static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("arbiter.host", Set.of("seata.server.host", "server.host"));
        KEYS.put("arbiter.port", Set.of("seata.server.service-port", "server.servicePort", "service-port"));
        KEYS.put("arbiter.http-port", Set.of("server.port"));
        KEYS.put("arbiter.raft-port", Set.of("seata.server.raft.port"));
        KEYS.put("arbiter.data-dir", Set.of("store.file.dir", "seata.store.file.dir"));
        KEYS.put(
                "arbiter.retry-backoff-ms",
                Set.of("server.recovery.committingRetryPeriod", "seata.server.recovery.committing-retry-period"));
        KEYS.put("arbiter.max-retry-backoff-ms", Set.of());
        KEYS.put(
                "arbiter.max-commit-retry-timeout-ms",
                Set.of("server.maxCommitRetryTimeout", "seata.server.max-commit-retry-timeout"));
        KEYS.put(
                "arbiter.max-rollback-retry-timeout-ms",
                Set.of("server.maxRollbackRetryTimeout", "seata.server.max-rollback-retry-timeout"));
        KEYS.put(
                "arbiter.rm-call-timeout-ms",
                Set.of("transport.rpcTcRequestTimeout", "seata.transport.rpc-tc-request-timeout"));
        KEYS.put("arbiter.tick-interval-ms", Set.of());
        KEYS.put(
                "arbiter.undo-log-delete-period-ms",
                Set.of("server.undo.logDeletePeriod", "seata.server.undo.log-delete-period"));
        KEYS.put("arbiter.undo-log-save-days", Set.of("server.undo.logSaveDays", "seata.server.undo.log-save-days"));
        KEYS.put("arbiter.snapshot-threshold", Set.of());
        KEYS.put(
                "arbiter.snapshot-interval-s",
                Set.of("seata.server.raft.snapshot-interval", "server.raft.snapshotInterval"));
        KEYS.put("arbiter.cluster", Set.of("seata.server.raft.server-addr", "server.raft.serverAddr"));
        KEYS.put("arbiter.group", Set.of("seata.server.raft.group", "server.raft.group"));
        KEYS.put(
                "arbiter.election-timeout-ms",
                Set.of("seata.server.raft.election-timeout-ms", "server.raft.electionTimeoutMs"));
        KEYS.put("arbiter.join", Set.of());
        KEYS.put("arbiter.raft.max-outstanding-entries", Set.of());
        KEYS.put("arbiter.console.username", Set.of("console.user.username", "seata.console.user.username"));
        KEYS.put("arbiter.console.password", Set.of("console.user.password", "seata.console.user.password"));
        KEYS.put("arbiter.security.secret-key", Set.of("seata.security.secretKey", "seata.security.secret-key"));
        KEYS.put(
                "arbiter.security.token-validity-ms",
                Set.of("seata.security.tokenValidityInMilliseconds", "seata.security.token-validity-in-milliseconds"));
        KEYS.put("arbiter.metadata.leader-choice", Set.of());
        KEYS.put("arbiter.fragments", Set.of());
        KEYS.put("arbiter.lock-fragments", Set.of());
        KEYS.put("arbiter.lock-table", Set.of());
        KEYS.put("arbiter.max-open-transactions", Set.of());
        KEYS.put("arbiter.read-idle-ms", Set.of());
        KEYS.put("arbiter.max-connections", Set.of());
        KEYS.put("arbiter.http.max-connections", Set.of());
        KEYS.put("arbiter.placement.enabled", Set.of());
        KEYS.put("arbiter.placement.replicas", Set.of());
        KEYS.put("arbiter.placement.node-down-after", Set.of());
        KEYS.put("arbiter.placement.max-operators", Set.of());
        KEYS.put("arbiter.placement.max-fragments", Set.of());
        KEYS.put("arbiter.placement.grow-above", Set.of());
        KEYS.put("arbiter.placement.retire-after-calm", Set.of());
        KEYS.put("arbiter.placement.resize-cooldown", Set.of());
    }

    private ConfigLoader() {}

    /**
     * Reads a settings file: YAML ({@code .yml}/{@code .yaml}, e.g. Seata's {@code application.yml}) or properties;
     * a missing, unreadable or malformed file is an error naming it.
     */
    public static Map<String, String> readFile(Path file) {
        String name =
                file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
            return YamlSettings.read(file);
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) { // e.g. a malformed unicode escape
            throw new ConfigException("--config", "not a valid properties file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
        return values;
    }

    /**
     * Builds the configuration. {@code values} holds keys in our or Seata's spelling; later sources should be put
     * over earlier ones by the caller.
     */
    public static ArbiterConfig load(Map<String, String> values) {
        Map<String, String> v = canonical(values);
        int httpPort = port(v, "arbiter.http-port", 7091);
        int port = port(v, "arbiter.port", 8091);
        int raftPort = port(v, "arbiter.raft-port", port + 1000);
        String host = v.getOrDefault("arbiter.host", defaultHost());
        if (host.isBlank() || host.contains(":")) {
            throw new ConfigException("arbiter.host", "must be an IPv4 address or host name without a port");
        }
        Path dataDir = Path.of(v.getOrDefault("arbiter.data-dir", "data"));
        long backoff = positive(v, "arbiter.retry-backoff-ms", 1_000);
        long maxBackoff = positive(v, "arbiter.max-retry-backoff-ms", Math.max(10_000, backoff));
        if (maxBackoff < backoff) {
            throw new ConfigException("arbiter.max-retry-backoff-ms", "must be ≥ arbiter.retry-backoff-ms");
        }
        long rmCall = positive(v, "arbiter.rm-call-timeout-ms", 15_000);
        CoordinatorSettings settings = new CoordinatorSettings(
                backoff,
                maxBackoff,
                rmCall + 5_000,
                number(v, "arbiter.max-commit-retry-timeout-ms", -1),
                number(v, "arbiter.max-rollback-retry-timeout-ms", -1));
        List<ClusterMember> members = members(v.get("arbiter.cluster"), host, port, httpPort, raftPort);
        String selfId = ClusterMember.idFor(host, raftPort);
        String group = v.getOrDefault("arbiter.group", "default");
        if (group.isBlank() || !group.matches("[A-Za-z0-9_.-]+")) {
            throw new ConfigException("arbiter.group", "must be letters, digits, '_', '.' or '-', got '" + group + "'");
        }
        int fragments = fragments(v);
        String join = v.getOrDefault("arbiter.join", "false");
        if (!join.equals("true") && !join.equals("false")) {
            throw new ConfigException("arbiter.join", "must be true or false, got '" + join + "'");
        }
        return new ArbiterConfig(
                host,
                port,
                httpPort,
                raftPort,
                dataDir,
                settings,
                Duration.ofMillis(positive(v, "arbiter.tick-interval-ms", 100)),
                Duration.ofMillis(rmCall),
                Duration.ofMillis(positive(v, "arbiter.undo-log-delete-period-ms", 24L * 3600 * 1000)),
                (int) positive(v, "arbiter.undo-log-save-days", 7),
                positive(v, "arbiter.snapshot-threshold", 50_000),
                Duration.ofSeconds(positive(v, "arbiter.snapshot-interval-s", 600)),
                group,
                members,
                selfId,
                Duration.ofMillis(positive(v, "arbiter.election-timeout-ms", 1_000)),
                join.equals("true"),
                (int) Math.min(
                        4096,
                        positive(
                                v,
                                "arbiter.raft.max-outstanding-entries",
                                ArbiterConfig.DEFAULT_MAX_OUTSTANDING_ENTRIES)),
                metadataApi(v),
                fragments,
                lockFragments(v, fragments),
                locksInLeaderMemory(v),
                (int) Math.min(
                        Integer.MAX_VALUE,
                        positive(v, "arbiter.max-open-transactions", ArbiterConfig.DEFAULT_MAX_OPEN_TRANSACTIONS)),
                placement(v, fragments),
                Duration.ofMillis(positive(v, "arbiter.read-idle-ms", ArbiterConfig.DEFAULT_READ_IDLE.toMillis())),
                (int) Math.min(
                        Integer.MAX_VALUE,
                        positive(v, "arbiter.max-connections", ArbiterConfig.DEFAULT_MAX_CONNECTIONS)),
                (int) Math.min(
                        Integer.MAX_VALUE,
                        positive(v, "arbiter.http.max-connections", ArbiterConfig.DEFAULT_MAX_HTTP_CONNECTIONS)));
    }

    private static PlacementConfig placement(Map<String, String> v, int fragments) {
        PlacementConfig d = PlacementConfig.DEFAULTS;
        String enabled = v.getOrDefault("arbiter.placement.enabled", String.valueOf(d.enabled()));
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new ConfigException("arbiter.placement.enabled", "must be true or false, got '" + enabled + "'");
        }
        long replicas = positive(v, "arbiter.placement.replicas", d.replicas());
        if (replicas > 7) {
            throw new ConfigException("arbiter.placement.replicas", "must be at most 7, got " + replicas);
        }
        long maxFragments = positive(v, "arbiter.placement.max-fragments", Math.max(d.maxFragments(), fragments));
        if (maxFragments < fragments || maxFragments > 1024) {
            throw new ConfigException(
                    "arbiter.placement.max-fragments",
                    "must be between arbiter.fragments (" + fragments + ") and 1024, got " + maxFragments);
        }
        return new PlacementConfig(
                enabled.equals("true"),
                (int) replicas,
                duration(v, "arbiter.placement.node-down-after", d.nodeDownAfter()),
                (int) Math.min(64, positive(v, "arbiter.placement.max-operators", d.maxOperators())),
                (int) maxFragments,
                (int) Math.min(1_000_000, positive(v, "arbiter.placement.grow-above", d.growAbove())),
                duration(v, "arbiter.placement.retire-after-calm", d.retireAfterCalm()),
                duration(v, "arbiter.placement.resize-cooldown", d.resizeCooldown()));
    }

    /** A duration: a number of milliseconds, or a number with {@code ms}, {@code s}, {@code m} or {@code h}. */
    static Duration duration(Map<String, String> v, String key, Duration dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)?").matcher(s.trim());
        if (!m.matches()) {
            throw new ConfigException(key, "'" + s + "' is not a duration (e.g. 60s, 1500ms, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMillis(n);
        };
    }

    /** The number of fragments a new cluster starts with: 1 to 1024. */
    private static int fragments(Map<String, String> v) {
        long n = positive(v, "arbiter.fragments", ArbiterConfig.DEFAULT_FRAGMENTS);
        if (n > 1024) {
            throw new ConfigException("arbiter.fragments", "must be at most 1024, got " + n);
        }
        return (int) n;
    }

    /** How many of the first fragments own the lock slots of a new cluster: 1 to {@code arbiter.fragments}. */
    private static int lockFragments(Map<String, String> v, int fragments) {
        long n = positive(v, "arbiter.lock-fragments", Math.min(ArbiterConfig.DEFAULT_LOCK_FRAGMENTS, fragments));
        if (n > fragments) {
            throw new ConfigException(
                    "arbiter.lock-fragments", "must be between 1 and arbiter.fragments (" + fragments + "), got " + n);
        }
        return (int) n;
    }

    /**
     * {@code arbiter.lock-table}: {@code memory} (the default: with more fragments than lock fragments, the lock
     * fragments are lock-only and keep their rows in their leader's memory) or {@code replicated} (every lock is a
     * replicated command, and the lock fragments take transactions too). For a new cluster; the map keeps it.
     */
    private static boolean locksInLeaderMemory(Map<String, String> v) {
        String choice = v.getOrDefault("arbiter.lock-table", "memory").trim();
        return switch (choice) {
            case "memory" -> true;
            case "replicated" -> false;
            default -> throw new ConfigException("arbiter.lock-table", "must be memory or replicated, got " + choice);
        };
    }

    private static MetadataApiConfig metadataApi(Map<String, String> v) {
        String choice = v.getOrDefault("arbiter.metadata.leader-choice", LeaderChoice.CLIENT_ADDRESS.name());
        LeaderChoice leaderChoice;
        try {
            leaderChoice = LeaderChoice.valueOf(choice);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "arbiter.metadata.leader-choice",
                    "must be one of " + java.util.Arrays.toString(LeaderChoice.values()) + ", got '" + choice + "'");
        }
        String user = v.get("arbiter.console.username");
        try {
            return new MetadataApiConfig(
                    user,
                    v.get("arbiter.console.password"),
                    v.get("arbiter.security.secret-key"),
                    Duration.ofMillis(positive(v, "arbiter.security.token-validity-ms", 1_800_000)),
                    null,
                    leaderChoice);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().contains("password")
                    ? "arbiter.console.password"
                    : e.getMessage().contains("username") ? "arbiter.console.username" : "arbiter.security.secret-key";
            throw new ConfigException(key, e.getMessage());
        }
    }

    /**
     * The cluster from Seata's {@code server-addr} list of Raft addresses ({@code host:raftPort,...}); this node
     * is the entry with its advertised host and Raft port. Other nodes follow Seata's port convention (RPC = Raft
     * − 1000, HTTP = RPC − 1000). Without a list, the cluster is this node alone.
     */
    private static List<ClusterMember> members(String list, String host, int port, int httpPort, int raftPort) {
        ClusterMember self = new ClusterMember(ClusterMember.idFor(host, raftPort), host, port, httpPort, raftPort);
        if (list == null || list.isBlank()) {
            return List.of(self);
        }
        List<ClusterMember> members = new ArrayList<>();
        boolean selfListed = false;
        for (String entry : list.split(",")) {
            String e = entry.trim();
            int colon = e.lastIndexOf(':');
            int peerPort;
            try {
                peerPort = colon > 0 ? Integer.parseInt(e.substring(colon + 1)) : -1;
            } catch (NumberFormatException ex) {
                peerPort = -1;
            }
            if (peerPort < 1 || peerPort > 65535) {
                throw new ConfigException("arbiter.cluster", "'" + e + "' is not host:raftPort");
            }
            String peerHost = e.substring(0, colon);
            if (peerHost.equals(host) && peerPort == raftPort) {
                members.add(self);
                selfListed = true;
            } else {
                members.add(ClusterMember.fromRaftAddress(peerHost, peerPort));
            }
        }
        if (!selfListed) {
            throw new ConfigException(
                    "arbiter.cluster",
                    "this node (" + host + ":" + raftPort
                            + ", from arbiter.host and arbiter.raft-port) is not in the list " + list);
        }
        if (members.stream().map(ClusterMember::id).distinct().count() != members.size()) {
            throw new ConfigException("arbiter.cluster", "a node is listed twice: " + list);
        }
        return members;
    }

    private static Map<String, String> canonical(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!isKnown(e.getKey()) && SeataSettingsNotUsed.matches(e.getKey())) {
                LOG.info("configuration key '{}' is Seata's and has no meaning for Arbiter; ignored", e.getKey());
                continue;
            }
            String key = canonicalKey(e.getKey());
            String previous = out.put(key, e.getValue());
            if (previous != null && !previous.equals(e.getValue())) {
                throw new ConfigException(
                        e.getKey(),
                        "contradicts another spelling of " + key + " ('" + previous + "' vs '" + e.getValue() + "')");
            }
        }
        return out;
    }

    /** The canonical key for a key in our or Seata's spelling. */
    public static String canonicalKeyOf(String key) {
        return canonicalKey(key);
    }

    private static boolean isKnown(String key) {
        return KEYS.containsKey(key) || KEYS.values().stream().anyMatch(aliases -> aliases.contains(key));
    }

    private static String canonicalKey(String key) {
        if (KEYS.containsKey(key)) {
            return key;
        }
        for (Map.Entry<String, Set<String>> e : KEYS.entrySet()) {
            if (e.getValue().contains(key)) {
                return e.getKey();
            }
        }
        throw new ConfigException(key, "unknown key; known keys are " + KEYS.keySet());
    }

    private static long number(Map<String, String> v, String key, long dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + s + "' is not a whole number");
        }
    }

    private static long positive(Map<String, String> v, String key, long dflt) {
        long n = number(v, key, dflt);
        if (n <= 0) {
            throw new ConfigException(key, "must be positive, got " + n);
        }
        return n;
    }

    private static int port(Map<String, String> v, String key, int dflt) {
        long n = number(v, key, dflt);
        if (n < 0 || n > 65535) {
            throw new ConfigException(key, "port out of range: " + n);
        }
        return (int) n;
    }

    /** Like Seata: the first site-local IPv4 address of an up, non-loopback interface, else 127.0.0.1. */
    static String defaultHost() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through
        }
        return "127.0.0.1";
    }
}
