package io.arbiter.compat.ha;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the chaos reports go: {@code target/chaos/<name>.md} and {@code <name>-transactions.csv}. */
public final class ReportFiles {
    private ReportFiles() {}

    /** Writes both files and prints the report (with {@code tag} before its path); returns the report's path. */
    public static Path write(String name, String markdown, String csv, String tag) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "chaos"));
            Path out = dir.resolve(name + ".md");
            Files.writeString(out, markdown);
            Files.writeString(dir.resolve(name + "-transactions.csv"), csv);
            System.out.println(markdown);
            System.out.println("[" + tag + "] report written to " + out.toAbsolutePath());
            return out.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
