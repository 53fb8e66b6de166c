package io.arbiter.server;

import io.arbiter.server.cli.ArbiterCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code bin/arbiter}'s command line in the test's JVM with its output captured (not System.out, where the
 * nodes' own log lines also go).
 */
final class TestCli {
    private TestCli() {}

    /** Exit status, stdout and stderr of one command line. */
    record Run(int status, String out, String err) {}

    static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = ArbiterCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int status = command.execute(args.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }
}
