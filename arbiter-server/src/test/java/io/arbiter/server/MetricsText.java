package io.arbiter.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scrape of a node's {@code /metrics}, parsed from the Prometheus text format (samples only). */
record MetricsText(String raw, String contentType, List<Sample> samples) {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    static MetricsText scrape(int httpPort) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("/metrics answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body(), r.headers().firstValue("content-type").orElse(""));
    }

    static MetricsText parse(String text, String contentType) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            int rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq);
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2; // after ="
                    while (line.charAt(j) != '"') {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char n = line.charAt(++j);
                            value.append(n == 'n' ? '\n' : n);
                        } else {
                            value.append(c);
                        }
                        j++;
                    }
                    labels.put(key, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                rest = i + 1;
            } else {
                name = line.substring(0, space);
                rest = space;
            }
            String[] fields = line.substring(rest).trim().split(" ");
            samples.add(new Sample(name, labels, Double.parseDouble(fields[0])));
        }
        return new MetricsText(text, contentType, samples);
    }

    /** The samples named {@code name} whose labels include {@code pairs} (name, value, name, value…). */
    List<Sample> find(String name, String... pairs) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.has(pairs))
                .toList();
    }

    /** The sum of the samples named {@code name} whose labels include {@code pairs}; 0 if none. */
    double sum(String name, String... pairs) {
        return find(name, pairs).stream().mapToDouble(Sample::value).sum();
    }

    /** Seata's series for a TC: {@code seata_transaction} with role="tc", the given meter and status. */
    double seata(String meter, String status, String... more) {
        String[] pairs = new String[4 + more.length];
        pairs[0] = "meter";
        pairs[1] = meter;
        pairs[2] = "status";
        pairs[3] = status;
        System.arraycopy(more, 0, pairs, 4, more.length);
        List<Sample> found = find("seata_transaction", concat(new String[] {"role", "tc"}, pairs));
        return found.stream().mapToDouble(Sample::value).sum();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
