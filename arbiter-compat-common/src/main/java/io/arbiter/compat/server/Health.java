package io.arbiter.compat.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /health} on a node's HTTP port. The body is
 * {@code {"status":"UP"|"DOWN","role":"leader"|"follower","transactions":n,"locks":n}}, with 200 while the node
 * serves (it knows a leader) and 503 otherwise.
 */
public final class Health {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern FIELD =
            Pattern.compile("\"(status|role|transactions|locks)\"\\s*:\\s*\"?([A-Za-z0-9_-]+)");

    private Health() {}

    /**
     * What a node says about itself: serving (200) or not, its Raft role and the number of live transactions and
     * row locks in its replica (counts of the local copy, so followers show how far they have applied the log).
     */
    public record Report(boolean serving, String role, int transactions, int locks) {
        public boolean leader() {
            return "leader".equals(role);
        }
    }

    /** The body of a 200 answer, or empty if the node does not answer 200 (not started, not serving, dead). */
    public static Optional<String> probe(int httpPort) {
        return probe(ArbiterEndpoint.HOST, httpPort);
    }

    /** The body of a 200 answer from {@code host:httpPort}, or empty. */
    public static Optional<String> probe(String host, int httpPort) {
        return get(host, httpPort, Duration.ofSeconds(3))
                .filter(r -> r.statusCode() == 200)
                .map(HttpResponse::body);
    }

    /** The node's report, 200 or 503; empty if it does not answer within {@code timeout}. */
    public static Optional<Report> report(String host, int httpPort, Duration timeout) {
        return get(host, httpPort, timeout).map(r -> parse(r.statusCode() == 200, r.body()));
    }

    static Report parse(boolean serving, String body) {
        String role = "unknown";
        int transactions = -1;
        int locks = -1;
        Matcher m = FIELD.matcher(body);
        while (m.find()) {
            switch (m.group(1)) {
                case "role" -> role = m.group(2);
                case "transactions" -> transactions = Integer.parseInt(m.group(2));
                case "locks" -> locks = Integer.parseInt(m.group(2));
                default -> {}
            }
        }
        return new Report(serving, role, transactions, locks);
    }

    private static Optional<HttpResponse<String>> get(String host, int httpPort, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + "/health"))
                .timeout(timeout)
                .GET()
                .build();
        try {
            return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
