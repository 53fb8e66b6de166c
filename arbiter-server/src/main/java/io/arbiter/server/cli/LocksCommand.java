package io.arbiter.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arbiter locks list}: the row locks held in every fragment, through a node's console API
 * ({@code /api/v1/console/globalLock/query}), with Seata's filters; a table or, with {@code --json}, the API's JSON.
 */
@Command(name = "locks", description = "List the row locks held in the cluster through a node's console API.")
final class LocksCommand implements Callable<Integer> {
    @Mixin
    ApiOptions options;

    @Option(names = "--xid", description = "only this transaction's locks")
    String xid;

    @Option(names = "--table", description = "table name contains this")
    String table;

    @Option(names = "--pk", description = "primary key contains this")
    String pk;

    @Option(names = "--resource", description = "resource id contains this")
    String resource;

    @Option(names = "--branch", description = "only this branch's locks")
    String branch;

    @Option(names = "--page", description = "page number (default 1)")
    int page = 1;

    @Option(names = "--size", description = "page size (default 50)")
    int size = 50;

    @Parameters(index = "0", description = "list")
    String action;

    @Override
    public Integer call() throws Exception {
        if (!action.equals("list")) {
            return CliOutput.usage(options.err(), "unknown action '" + action + "' (list)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("pageNum", String.valueOf(page));
        params.put("pageSize", String.valueOf(size));
        put(params, "xid", xid);
        put(params, "tableName", table);
        put(params, "pk", pk);
        put(params, "resourceId", resource);
        put(params, "branchId", branch);
        JsonNode doc =
                CliOutput.okJson(options.err(), options.client().get("/api/v1/console/globalLock/query", params));
        if (doc == null) {
            return 1;
        }
        if (options.json) {
            options.out().println(doc);
            return 0;
        }
        options.out().printf("%-40s %-22s %-30s %-20s %s%n", "XID", "BRANCH", "RESOURCE", "TABLE", "PK");
        for (JsonNode lock : doc.path("data")) {
            options.out()
                    .printf(
                            "%-40s %-22s %-30s %-20s %s%n",
                            lock.path("xid").asText(),
                            lock.path("branchId").asText(),
                            lock.path("resourceId").asText(),
                            lock.path("tableName").asText(),
                            lock.path("pk").asText());
        }
        options.out()
                .printf(
                        "page %d of %d (%d locks)%n",
                        doc.path("pageNum").asInt(),
                        doc.path("pages").asInt(),
                        doc.path("total").asInt());
        return 0;
    }

    private static void put(Map<String, String> params, String key, String value) {
        if (value != null) {
            params.put(key, value);
        }
    }
}
