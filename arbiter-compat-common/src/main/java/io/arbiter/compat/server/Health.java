package io.arbiter.compat.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** {@code GET /health} on a node's HTTP port. */
public final class Health {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Health() {
    }

    /** The body of a 200 answer, or empty if the node does not answer 200 (not started, not serving, dead). */
    public static Optional<String> probe(int httpPort) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + ArbiterEndpoint.HOST + ":" + httpPort
                + "/health")).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
