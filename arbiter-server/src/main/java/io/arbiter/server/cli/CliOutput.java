package io.arbiter.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.GlobalStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;

/** What the operator commands share: reading an API answer, naming statuses and times, usage errors. */
final class CliOutput {
    private CliOutput() {}

    /**
     * The JSON of a successful console answer (HTTP 200 and Seata's {@code success}); otherwise prints the reason to
     * {@code err} and returns null.
     */
    static JsonNode okJson(PrintWriter err, ApiClient.Answer answer) throws IOException {
        JsonNode doc;
        try {
            doc = answer.json();
        } catch (IOException e) {
            err.println("arbiter: " + answer.status() + " " + answer.body());
            return null;
        }
        if (answer.status() != 200 || !doc.path("success").asBoolean(false)) {
            err.println("arbiter: " + (answer.status() != 200 ? answer.status() + " " : "")
                    + doc.path("message").asText(answer.body()));
            return null;
        }
        return doc;
    }

    /**
     * The JSON of a 200 answer to {@code GET path}; with {@code --json} the body is printed as it is and null
     * returned, as on any other answer (then with the reason on stderr, and {@code failed[0]} set).
     */
    static JsonNode getForTable(ApiOptions options, String path, boolean[] failed) throws Exception {
        ApiClient.Answer answer = options.client().get(path);
        if (answer.status() != 200) {
            options.err().println("arbiter: " + answer.status() + " " + answer.body());
            failed[0] = true;
            return null;
        }
        if (options.json) {
            options.out().println(answer.body());
            return null;
        }
        return answer.json();
    }

    /** A command-line mistake: the reason on stderr, exit status 2. */
    static int usage(PrintWriter err, String reason) {
        err.println("arbiter: " + reason);
        return 2;
    }

    /** Seata's global status name for a console status code (19 and 20: retries stopped by an operator). */
    static String statusName(int code) {
        if (code == 19) {
            return "StopCommitOrCommitRetry";
        }
        if (code == 20) {
            return "StopRollbackOrRollbackRetry";
        }
        try {
            return GlobalStatus.fromCode(code).name();
        } catch (RuntimeException e) {
            return String.valueOf(code);
        }
    }

    static String branchStatusName(int code) {
        try {
            return BranchStatus.fromCode(code).name();
        } catch (RuntimeException e) {
            return String.valueOf(code);
        }
    }

    /** An epoch-millisecond field (a number or, in Seata's console shapes, a string) as an ISO instant. */
    static String time(JsonNode millis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis.asText())).toString();
        } catch (NumberFormatException e) {
            return millis.asText("-");
        }
    }
}
