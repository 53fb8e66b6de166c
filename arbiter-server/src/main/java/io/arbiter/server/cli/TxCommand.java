package io.arbiter.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arbiter tx list|show|commit|rollback|stop-retry|start-retry}: global transactions through a node's console
 * API ({@code /api/v1/console/globalSession/...}, over every fragment), as tables or, with {@code --json}, the API's
 * JSON. Exit status 0 when done, 1 when the node refused or failed (with its reason), 2 for a bad command line.
 */
@Command(name = "tx", description = "List, show and act on global transactions through a node's console API.")
final class TxCommand implements Callable<Integer> {
    private static final String API = "/api/v1/console/globalSession/";
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ApiOptions options;

    @Option(names = "--status", description = "list: Seata's global status code (e.g. 1 Begin, 5 CommitRetrying)")
    Integer status;

    @Option(names = "--app", description = "list: application id contains this")
    String app;

    @Option(names = "--name", description = "list: transaction name contains this")
    String name;

    @Option(names = "--page", description = "list: page number (default 1)")
    int page = 1;

    @Option(names = "--size", description = "list: page size (default 20)")
    int size = 20;

    @Parameters(index = "0", description = "list | show | commit | rollback | stop-retry | start-retry")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "XID (all but list)")
    String xid;

    @Override
    public Integer call() throws Exception {
        ApiClient api = options.client();
        if (action.equals("list")) {
            return list(api);
        }
        String path = switch (action) {
            case "show" -> "";
            case "commit" -> "commitGlobalSession";
            case "rollback" -> "rollbackGlobalSession";
            case "stop-retry" -> "stopGlobalSession";
            case "start-retry" -> "startGlobalSession";
            default -> null;
        };
        if (path == null) {
            return CliOutput.usage(
                    options.err(),
                    "unknown action '" + action + "' (list, show, commit, rollback, stop-retry, start-retry)");
        }
        if (xid == null || xid.isBlank()) {
            return CliOutput.usage(options.err(), action + " needs an XID");
        }
        return action.equals("show") ? show(api) : operation(api, path);
    }

    private int list(ApiClient api) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("pageNum", String.valueOf(page));
        params.put("pageSize", String.valueOf(size));
        if (status != null) {
            params.put("status", status.toString());
        }
        if (app != null) {
            params.put("applicationId", app);
        }
        if (name != null) {
            params.put("transactionName", name);
        }
        if (xid != null) {
            params.put("xid", xid);
        }
        JsonNode doc = CliOutput.okJson(options.err(), api.get(API + "query", params));
        if (doc == null) {
            return 1;
        }
        if (options.json) {
            options.out().println(doc);
            return 0;
        }
        options.out()
                .printf(
                        "%-40s %-22s %-16s %-20s %-24s %s%n",
                        "XID", "STATUS", "APPLICATION", "NAME", "BEGAN", "TIMEOUT");
        for (JsonNode tx : doc.path("data")) {
            options.out()
                    .printf(
                            "%-40s %-22s %-16s %-20s %-24s %s%n",
                            tx.path("xid").asText(),
                            CliOutput.statusName(tx.path("status").asInt()),
                            tx.path("applicationId").asText(),
                            tx.path("transactionName").asText(),
                            CliOutput.time(tx.path("beginTime")),
                            tx.path("timeout").asText() + " ms");
        }
        options.out()
                .printf(
                        "page %d of %d (%d transactions)%n",
                        doc.path("pageNum").asInt(),
                        doc.path("pages").asInt(),
                        doc.path("total").asInt());
        return 0;
    }

    private int show(ApiClient api) throws Exception {
        JsonNode doc = CliOutput.okJson(
                options.err(),
                api.get(API + "query", Map.of("xid", xid, "withBranch", "true", "pageNum", "1", "pageSize", "100")));
        if (doc == null) {
            return 1;
        }
        JsonNode found = null;
        for (JsonNode tx : doc.path("data")) {
            if (tx.path("xid").asText().equals(xid)) {
                found = tx;
            }
        }
        if (found == null) {
            options.err().println("arbiter: no live transaction " + xid + " (it may have ended)");
            return 1;
        }
        if (options.json) {
            options.out().println(found);
            return 0;
        }
        options.out()
                .printf(
                        "xid          %s%nstatus       %s%napplication  %s%ngroup        %s%nname         %s%n"
                                + "began        %s%ntimeout      %s ms%n",
                        found.path("xid").asText(),
                        CliOutput.statusName(found.path("status").asInt()),
                        found.path("applicationId").asText(),
                        found.path("transactionServiceGroup").asText(),
                        found.path("transactionName").asText(),
                        CliOutput.time(found.path("beginTime")),
                        found.path("timeout").asText());
        options.out().printf("%-22s %-6s %-40s %-26s %s%n", "BRANCH", "TYPE", "RESOURCE", "STATUS", "CLIENT");
        for (JsonNode b : found.path("branchSessionVOs")) {
            options.out()
                    .printf(
                            "%-22s %-6s %-40s %-26s %s%n",
                            b.path("branchId").asText(),
                            b.path("branchType").asText(),
                            b.path("resourceId").asText(),
                            CliOutput.branchStatusName(b.path("status").asInt()),
                            b.path("clientId").asText());
        }
        return 0;
    }

    private int operation(ApiClient api, String path) throws Exception {
        JsonNode doc = CliOutput.okJson(options.err(), api.put(API + path, Map.of("xid", xid), OPERATION_TIMEOUT));
        if (doc == null) {
            return 1;
        }
        if (options.json) {
            options.out().println(doc);
        } else {
            options.out()
                    .println(
                            doc.path("data").isNull() || doc.path("data").isMissingNode()
                                    ? "done"
                                    : "done: " + doc.path("data").asText());
        }
        return 0;
    }
}
