package io.arbiter.bench.report;

import io.arbiter.bench.load.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench report FILE.jsonl...}: the table and the HTML/PNG report again from saved JSON lines. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Print the ratio table and write the HTML/PNG report from results-*.jsonl files.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "JSON-lines files (bench run --out, or compare's results)")
    List<Path> files;

    @Option(names = "--out-dir", description = "where to write the report (default: beside the first file)")
    Path outDir;

    @Option(names = "--name", description = "report-NAME.html (default: the first file's name after results-)")
    String name;

    @Override
    public Integer call() throws Exception {
        List<RunResult> results = new ArrayList<>();
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                if (RunResult.looksLikeResult(line)) {
                    results.add(RunResult.fromJson(line));
                }
            }
        }
        if (results.isEmpty()) {
            System.err.println("bench: no result lines in " + files);
            return 2;
        }
        Path first = files.get(0).toAbsolutePath();
        Path dir = outDir != null ? outDir : first.getParent();
        String stamp = name != null
                ? name
                : first.getFileName().toString().replaceFirst("^results-", "").replaceFirst("\\.jsonl?$", "");
        Reports.Written w = Reports.write(results, dir, stamp);
        System.out.println(Reports.table(results));
        System.out.println("report: " + w.html() + (w.png() != null ? " " + w.png() : ""));
        return 0;
    }
}
