package io.arbiter.compat.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Arbiter as a separate JVM ({@code io.arbiter.server.cli.ArbiterCommand start}), for tests that kill the server
 * with SIGKILL and start it again on the same data directory and ports.
 *
 * <p>The child's classpath is arbiter-server's runtime classpath, written into this module's jar at build time
 * ({@code arbiter-server.classpath}, by maven-dependency-plugin's build-classpath), so none of the test JVM's
 * client libraries leak into the server. Those files are copied into the process's own directory when it is
 * first started, so a restart runs the same bytes even if the project is rebuilt meanwhile. Its standard output
 * and error go, appended across restarts, to {@code target/arbiter-process/<name>-*}{@code /arbiter.log};
 * {@link #logTail} reads it for failure messages.
 */
public final class ArbiterProcess implements ArbiterEndpoint, AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String MAIN = "io.arbiter.server.cli.ArbiterCommand";
    /**
     * System properties passed on to the node when set here, e.g. {@code arbiter.ratis.appender.level}, the log level
     * of Ratis's log appenders (logback-included.xml; soaks).
     */
    static final String FORWARDED_PREFIX = "arbiter.ratis.";

    private final Path home;
    private final Path dataDir;
    private final Path configFile;
    private final Path logFile;
    private final Spec spec;
    private final Thread reaper = new Thread(this::destroyQuietly, "arbiter-process-reaper");
    private String classpath;
    private Process process;
    private int starts;

    /**
     * How to run one node.
     *
     * @param name     a name for its directory under {@code target/arbiter-process}
     * @param host     the address it advertises (XIDs, {@code --host}) and is reached at
     * @param port     Seata RPC port
     * @param httpPort HTTP port
     * @param raftPort Raft port
     * @param cluster  {@code --cluster} (Raft addresses of all members), or null for a single node
     * @param settings extra {@code arbiter.*} keys, written to a {@code --config} file
     * @param wrapper  command words put before {@code java} (e.g. {@code ip netns exec NS}); empty for none. The
     *                 wrapper must exec java in its own process, so that {@link #kill9()} kills the JVM itself
     */
    public record Spec(
            String name,
            String host,
            int port,
            int httpPort,
            int raftPort,
            String cluster,
            Map<String, String> settings,
            List<String> wrapper) {
        public Spec {
            settings = Map.copyOf(settings);
            wrapper = List.copyOf(wrapper);
        }
    }

    private ArbiterProcess(Path home, Spec spec) {
        this.home = home;
        this.dataDir = home.resolve("data");
        this.configFile = home.resolve("arbiter.properties");
        this.logFile = home.resolve("arbiter.log");
        this.spec = spec;
    }

    /**
     * Starts a node on free ports with the given extra settings ({@code arbiter.*} keys, written to a
     * {@code --config} file) and waits until {@code /health} answers 200.
     */
    public static ArbiterProcess start(String name, Map<String, String> settings) throws IOException {
        int[] ports = FreePorts.allocate(3);
        ArbiterProcess p = launch(new Spec(name, HOST, ports[0], ports[1], ports[2], null, settings, List.of()));
        try {
            p.awaitServing(START_TIMEOUT);
        } catch (RuntimeException e) {
            p.destroyQuietly();
            throw e;
        }
        return p;
    }

    /**
     * Starts a node as {@code spec} says and returns at once: a member of a cluster serves only once a majority
     * is up, so start all of them, then {@link #awaitServing} each.
     */
    public static ArbiterProcess launch(Spec spec) throws IOException {
        Path root = Files.createDirectories(Path.of("target", "arbiter-process"));
        Path home = Files.createTempDirectory(root, spec.name() + "-").toAbsolutePath();
        ArbiterProcess p = new ArbiterProcess(home, spec);
        Properties props = new Properties();
        props.putAll(spec.settings());
        try (Writer w = Files.newBufferedWriter(p.configFile)) {
            props.store(w, "written by ArbiterProcess for " + spec.name());
        }
        p.classpath = copyClasspath(serverClasspath(), home.resolve("lib"));
        Runtime.getRuntime().addShutdownHook(p.reaper);
        p.startJvm();
        return p;
    }

    /** Starts the JVM again on the same data directory and ports (after {@link #kill9()}) and waits until it serves. */
    public void restart() throws IOException {
        restartNoWait();
        awaitServing(START_TIMEOUT);
    }

    /** Starts the JVM again on the same data directory and ports, without waiting. */
    public void restartNoWait() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("the Arbiter process is still running (pid " + process.pid() + ")");
        }
        startJvm();
    }

    /** SIGKILL: the JVM gets no chance to flush or close anything. Returns once the process is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Arbiter process did not die within 30 s of SIGKILL");
        }
        appendMarker("killed with SIGKILL, exit code " + process.exitValue());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The process's resident set size now, in bytes (from {@code /proc/<pid>/status}). */
    public long rssBytes() throws java.io.IOException {
        for (String line :
                java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new java.io.IOException("no VmRSS for process " + pid());
    }

    @Override
    public String host() {
        return spec.host();
    }

    @Override
    public int port() {
        return spec.port();
    }

    @Override
    public int httpPort() {
        return spec.httpPort();
    }

    public int raftPort() {
        return spec.raftPort();
    }

    /** The node's name (its directory is {@code target/arbiter-process/<name>-*}). */
    public String name() {
        return spec.name();
    }

    /** {@code host:raftPort}, this node's entry in {@code --cluster}. */
    public String raftAddress() {
        return spec.host() + ":" + spec.raftPort();
    }

    /** What {@code /health} says now; empty if the node does not answer within {@code timeout}. */
    public java.util.Optional<Health.Report> health(Duration timeout) {
        return isAlive() ? Health.report(spec.host(), spec.httpPort(), timeout) : java.util.Optional.empty();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last {@code lines} lines of the child's output (all starts), for assertion messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Stops the node with SIGTERM (its shutdown hook closes it), SIGKILL after 15 s. */
    @Override
    public void close() {
        try {
            if (isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    private void startJvm() throws IOException {
        starts++;
        List<String> command = new ArrayList<>(spec.wrapper());
        command.addAll(List.of(
                javaBinary(),
                "-Xms64m",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(forwardedProperties(System.getProperties()));
        command.addAll(List.of(
                "-cp",
                classpath,
                MAIN,
                "start",
                "--port",
                String.valueOf(spec.port()),
                "--http-port",
                String.valueOf(spec.httpPort()),
                "--raft-port",
                String.valueOf(spec.raftPort()),
                "--host",
                spec.host(),
                "--data-dir",
                dataDir.toString(),
                "--config",
                configFile.toString()));
        if (spec.cluster() != null) {
            command.addAll(List.of("--cluster", spec.cluster()));
        }
        appendMarker(
                "start #" + starts + ": " + String.join(" ", command.subList(command.indexOf(MAIN), command.size())));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = pb.start();
    }

    /** Waits until {@code /health} answers 200 (the node knows a leader and serves); fails if the JVM exits. */
    public void awaitServing(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Arbiter process " + spec.name() + " exited with code "
                        + process.exitValue() + " before serving; its output (" + logFile + "):\n" + logTail(60));
            }
            if (Health.probe(spec.host(), spec.httpPort()).isPresent()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Arbiter process", e);
            }
        }
        throw new IllegalStateException("the Arbiter process " + spec.name() + " did not answer /health within "
                + timeout + "; its output (" + logFile + "):\n" + logTail(60));
    }

    private void appendMarker(String text) {
        try {
            Files.writeString(
                    logFile,
                    "---- [compat] " + Instant.now() + " " + text + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void destroyQuietly() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Copies each classpath entry (jar or class directory) into {@code lib}; returns the classpath of the copies. */
    private static String copyClasspath(String cp, Path lib) throws IOException {
        List<String> copies = new ArrayList<>();
        String[] entries = cp.split(java.io.File.pathSeparator);
        for (int i = 0; i < entries.length; i++) {
            Path from = Path.of(entries[i]);
            Path to = lib.resolve(i + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (var tree = Files.walk(from)) {
                    for (Path f : (Iterable<Path>) tree::iterator) {
                        Path target = to.resolve(from.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target);
                        }
                    }
                }
            } else {
                Files.createDirectories(lib);
                Files.copy(from, to);
            }
            copies.add(to.toString());
        }
        return String.join(java.io.File.pathSeparator, copies);
    }

    /** arbiter-server's runtime classpath as recorded at build time. */
    static String serverClasspath() throws IOException {
        try (InputStream in = ArbiterProcess.class.getResourceAsStream("arbiter-server.classpath")) {
            if (in == null) {
                throw new IllegalStateException("arbiter-server.classpath is missing from arbiter-compat-common;"
                        + " build it with Maven (maven-dependency-plugin build-classpath writes it)");
            }
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> missing = Arrays.stream(cp.split(java.io.File.pathSeparator))
                    .filter(e -> !Files.exists(Path.of(e)))
                    .collect(Collectors.toList());
            if (cp.isEmpty() || !missing.isEmpty()) {
                throw new IllegalStateException("arbiter-server.classpath names entries that do not exist " + missing
                        + "; rebuild with: mvn -pl arbiter-compat-common -am package");
            }
            return cp;
        }
    }

    /** {@code -Dkey=value} for every property of {@code properties} under {@link #FORWARDED_PREFIX}, sorted by key. */
    static List<String> forwardedProperties(java.util.Properties properties) {
        return properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith(FORWARDED_PREFIX))
                .sorted()
                .map(key -> "-D" + key + "=" + properties.getProperty(key))
                .toList();
    }
}
