package io.arbiter.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/arbiter start} flags reach the configuration: a bad one stops the start naming its key. */
class StartFlagsTest {
    @TempDir
    Path dataDir;

    @Test
    void lockFragmentsFlagIsCheckedAgainstFragments() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = ArbiterCommand.commandLine()
                    .execute("start", "--data-dir", dataDir.toString(), "--fragments", "2", "--lock-fragments", "3");
        } finally {
            System.setErr(original);
        }
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("cannot start")
                .contains("'arbiter.lock-fragments'")
                .contains("arbiter.fragments (2)");
    }
}
