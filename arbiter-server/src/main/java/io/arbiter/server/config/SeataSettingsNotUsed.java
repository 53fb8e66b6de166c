package io.arbiter.server.config;

import java.util.List;
import java.util.Set;

/**
 * Keys of Seata's server configuration ({@code application.yml} and its properties form) that have no meaning for
 * Arbiter: Spring and logging settings, the configuration centre and registry Seata reads its settings from, its
 * session stores (Raft replaces them), its own metrics exporter (Arbiter serves {@code /metrics} on the HTTP port),
 * the console's URL allow-list, and server tuning of parts Arbiter does not have. A Seata operator's file starts
 * Arbiter with these ignored (logged); any other unknown key still stops the start, naming it.
 */
final class SeataSettingsNotUsed {
    /** Whole subtrees. */
    private static final List<String> PREFIXES = List.of(
            "spring.",
            "logging.",
            "seata.config.",
            "seata.registry.",
            "seata.store.",
            "seata.metrics.",
            "seata.transport.",
            "seata.security.ignore.",
            "seata.server.session.",
            "seata.server.recovery.",
            "seata.server.raft.",
            "seata.server.undo.",
            "store.",
            "metrics.",
            "transport.",
            "registry.",
            "config.");
    /** Single keys. */
    private static final Set<String> KEYS = Set.of(
            "seata.server.rollback-retry-timeout-unlock-enable",
            "seata.server.enable-check-auth",
            "seata.server.enable-parallel-request-handle",
            "seata.server.enableParallelRequestHandle",
            "seata.server.enable-parallel-handle-branch",
            "seata.server.retry-dead-threshold",
            "seata.server.xaer-nota-retry-timeout",
            "seata.server.distributed-lock-expire-time",
            "seata.server.application-data-limit-check",
            "seata.server.application-data-limit",
            "console.user.enabled");

    private SeataSettingsNotUsed() {}

    /** Whether {@code key} is one of Seata's settings Arbiter ignores (checked after Arbiter's own keys). */
    static boolean matches(String key) {
        return KEYS.contains(key) || PREFIXES.stream().anyMatch(key::startsWith);
    }
}
