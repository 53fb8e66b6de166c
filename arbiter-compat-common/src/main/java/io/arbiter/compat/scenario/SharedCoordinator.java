package io.arbiter.compat.scenario;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.server.InProcessArbiter;
import io.arbiter.compat.server.RunningTc;
import io.arbiter.compat.server.Settings;
import java.util.Map;

/**
 * One coordinator and one initialised client that the scenario families of one test class share. The class opens it
 * in its {@code @BeforeAll}, closes it in its {@code @AfterAll} and runs the families ({@link AtScenarios},
 * {@link TmTccScenarios}, {@link XaScenarios}) as {@code @Nested} classes, which then neither start a coordinator nor
 * initialise a client of their own: a Seata client configures itself once per JVM, and a cluster of node processes
 * takes tens of seconds of a busy machine to start. The compat modules run one test class per JVM, so at most one is
 * open. Run {@link XaScenarios} last: a Seata client's first XA proxy switches the JVM's default branch type to XA.
 */
public final class SharedCoordinator {
    /** The settings every scenario family runs with (the shared coordinator has all of them). */
    static final Map<String, String> SCENARIO_SETTINGS = Map.of(
            "arbiter.retry-backoff-ms", "200",
            "arbiter.tick-interval-ms", "100",
            // undo-log deletion every 1.5 s instead of daily, so that its request to the RM can be observed
            "arbiter.undo-log-delete-period-ms", "1500");

    private static SharedCoordinator open;

    private final RunningTc tc;
    private final CompatClient client;

    /** Starts a coordinator with the given settings. */
    @FunctionalInterface
    public interface Starter {
        RunningTc start(Map<String, String> settings) throws Exception;
    }

    /** The coordinator and initialised client a scenario family runs against. */
    record Coordinated(RunningTc tc, CompatClient client) {}

    private SharedCoordinator(RunningTc tc, CompatClient client) {
        this.tc = tc;
        this.client = client;
    }

    /**
     * Starts the shared coordinator with the scenarios' settings and {@code serverSettings} on top, and initialises
     * {@code client} (new, uninitialised) against it.
     */
    public static synchronized void open(CompatClient client, Map<String, String> serverSettings, Starter starter)
            throws Exception {
        if (open != null) {
            throw new IllegalStateException("a shared coordinator is open already");
        }
        RunningTc tc = starter.start(Settings.merge(SCENARIO_SETTINGS, serverSettings));
        try {
            client.init(tc);
        } catch (Exception | Error e) {
            tc.close();
            throw e;
        }
        open = new SharedCoordinator(tc, client);
    }

    /** One node in this JVM as the shared coordinator. */
    public static void openInProcess(CompatClient client, Map<String, String> serverSettings) throws Exception {
        open(client, serverSettings, InProcessArbiter::start);
    }

    /** Stops the shared coordinator, if one is open. */
    public static synchronized void close() throws Exception {
        SharedCoordinator shared = open;
        open = null;
        if (shared != null) {
            shared.tc.close();
        }
    }

    /**
     * What a scenario family runs against: the open shared coordinator and its client (closing that coordinator leaves
     * it running), else a coordinator of the family's own started with {@code settings} and a client initialised
     * against it.
     */
    static synchronized Coordinated forFamily(
            Map<String, String> settings, Starter starter, java.util.function.Supplier<CompatClient> newClient)
            throws Exception {
        if (open != null) {
            return new Coordinated(new Borrowed(open.tc), open.client);
        }
        RunningTc tc = starter.start(settings);
        CompatClient client = newClient.get();
        client.init(tc);
        return new Coordinated(tc, client);
    }

    /** The shared coordinator as one family sees it: everything but closing. */
    private record Borrowed(RunningTc tc) implements RunningTc {
        @Override
        public String host() {
            return tc.host();
        }

        @Override
        public int port() {
            return tc.port();
        }

        @Override
        public int httpPort() {
            return tc.httpPort();
        }

        @Override
        public String address() {
            return tc.address();
        }

        @Override
        public String xidPattern() {
            return tc.xidPattern();
        }

        @Override
        public void close() {
            // the test class that opened it closes it
        }
    }
}
