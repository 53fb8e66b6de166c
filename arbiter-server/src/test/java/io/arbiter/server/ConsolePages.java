package io.arbiter.server;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** What the browser tests do on the console's pages: wait for elements, log in, take screenshots. */
public final class ConsolePages {
    static final Path SHOTS = Path.of("target", "webconsole");

    private ConsolePages() {}

    public static WebElement waitFor(WebDriver driver, By by) {
        return await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> driver.findElement(by), WebElement::isDisplayed);
    }

    public static void login(WebDriver driver, String base, String user, String password) {
        driver.get(base + "/");
        waitFor(driver, By.id("login-username")).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        waitFor(driver, By.id("logout"));
    }

    /** Saves what the browser shows as {@code target/webconsole/<name>.png}. */
    public static void screenshot(ChromeDriver driver, String name) throws Exception {
        Files.createDirectories(SHOTS);
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
