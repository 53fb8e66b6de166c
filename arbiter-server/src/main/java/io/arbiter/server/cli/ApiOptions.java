package io.arbiter.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command on a node's HTTP API takes (a picocli mixin): which node, the login if any, help, and
 * JSON instead of tables.
 */
final class ApiOptions {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "--json", description = "print the API's JSON instead of a table (where there is one)")
    boolean json;

    @Option(names = "--node", description = "HTTP address of a node (default 127.0.0.1:7091)")
    String node = "127.0.0.1:7091";

    @Option(names = "--username", description = "console user, when the API requires a login")
    String username;

    @Option(names = "--password", description = "console password")
    String password;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Where the command prints its answer: picocli's output writer (System.out unless set otherwise). */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** Where the command prints refusals and mistakes: picocli's error writer. */
    PrintWriter err() {
        return command.commandLine().getErr();
    }

    ApiClient client() throws IOException, InterruptedException {
        return new ApiClient(node, username, password);
    }
}
