package io.arbiter.server.cli;

import java.io.IOException;
import picocli.CommandLine.Option;

/** The options every command on a node's HTTP API takes (a picocli mixin): which node, and the login if any. */
final class ApiOptions {
    @Option(names = "--node", description = "HTTP address of a node (default 127.0.0.1:7091)")
    String node = "127.0.0.1:7091";
    @Option(names = "--username", description = "console user, when the API requires a login")
    String username;
    @Option(names = "--password", description = "console password")
    String password;

    ApiClient client() throws IOException, InterruptedException {
        return new ApiClient(node, username, password);
    }
}
