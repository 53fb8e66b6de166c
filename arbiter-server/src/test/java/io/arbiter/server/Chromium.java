package io.arbiter.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and its driver for the browser tests: installed with apt-get when missing (waiting for the dpkg
 * lock; {@code apt-get update} first if the packages are not known), never skipped: a machine where they cannot be
 * installed fails the test with the reason. Selenium Manager is kept out: the driver and browser paths are given.
 */
public final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /** Makes sure both binaries are there, installing Debian's {@code chromium} and {@code chromium-driver}. */
    public static synchronized void ensureInstalled() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        List<String> log = new ArrayList<>();
        if (!apt(log, "install", "-y", "chromium", "chromium-driver")) {
            apt(log, "update");
            apt(log, "install", "-y", "chromium", "chromium-driver");
        }
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the browser test needs " + BROWSER + " and " + DRIVER + " (Debian "
                    + "packages chromium and chromium-driver) and could not install them with apt-get:\n"
                    + String.join("\n", log));
        }
    }

    private static boolean apt(List<String> log, String... args) {
        List<String> command = new ArrayList<>(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "-q"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            boolean done = p.waitFor(20, TimeUnit.MINUTES);
            log.add(String.join(" ", command) + " -> " + (done ? "exit " + p.exitValue() : "timed out") + "\n"
                    + tail(out));
            return done && p.exitValue() == 0;
        } catch (IOException e) {
            log.add(String.join(" ", command) + " -> " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing chromium", e);
        }
    }

    private static String tail(String out) {
        return out.length() <= 2000 ? out : out.substring(out.length() - 2000);
    }

    /** A headless Chromium with its own fresh profile under {@code profile}. */
    public static ChromeDriver start(Path profile) throws IOException {
        ensureInstalled();
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                "--user-data-dir="
                        + Files.createTempDirectory(profile, "chromium-").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }
}
