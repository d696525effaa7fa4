package net.tracemesh.web.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for UI tests: one fresh profile per instance, the page's console kept for assertions,
 * screenshots under {@code target/screenshots/}. {@link #open()} skips the calling test (JUnit assumption) when
 * Chromium or its driver is not installed. Close it (try-with-resources or {@code @AfterEach}).
 */
public final class Browser implements AutoCloseable {
    /** Where the Debian packages chromium and chromium-driver install their binaries. */
    public static final Path CHROMIUM = Path.of(System.getProperty("tracemesh.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("tracemesh.chromedriver",
            "/usr/bin/chromedriver"));
    /** Screenshots land here, one PNG per {@link #screenshot(String)} call. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** How long {@link #waitFor} waits by default. */
    /** Environment variable that turns a missing browser from a skip into a failure (set by .ci/run). */
    public static final String REQUIRE_BROWSER = "TRACEMESH_REQUIRE_BROWSER";
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(15);
    /** The window size: a laptop screen, wide enough for the map's side panel. */
    private static final int WIDTH = 1440;
    private static final int HEIGHT = 900;

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a headless Chromium, or skips the test when Chromium or chromedriver is missing. */
    public static Browser open() {
        requireOrSkip(Files.isExecutable(CHROMIUM), "UI test skipped: no Chromium at " + CHROMIUM
                + " (install the chromium package or set -Dtracemesh.chromium)");
        requireOrSkip(Files.isExecutable(CHROMEDRIVER), "UI test skipped: no chromedriver at "
                + CHROMEDRIVER + " (install chromium-driver or set -Dtracemesh.chromedriver)");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("tracemesh-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a Chromium profile directory", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + profile);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
    }

    /** Skips the test when {@code present} is false, or fails it where CI requires the browser tests to run. */
    private static void requireOrSkip(boolean present, String reason) {
        if (!present && "1".equals(System.getenv(REQUIRE_BROWSER))) {
            throw new IllegalStateException(reason.replace("UI test skipped", "UI test cannot run") + "; "
                    + REQUIRE_BROWSER + "=1 requires it");
        }
        Assumptions.assumeTrue(present, reason);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void get(String url) {
        driver.get(url);
    }

    /**
     * Sets a cookie for {@code baseUrl}'s host. The browser must be on that origin to set one, so this first
     * loads {@code publicPath} (a page served without a session, such as {@code /login.html}).
     */
    public void addCookie(String baseUrl, String publicPath, String name, String value) {
        driver.get(baseUrl + publicPath);
        driver.manage().addCookie(new Cookie.Builder(name, value).path("/").isHttpOnly(true).build());
    }

    public WebElement find(String cssSelector) {
        return driver.findElement(By.cssSelector(cssSelector));
    }

    public List<WebElement> findAll(String cssSelector) {
        return driver.findElements(By.cssSelector(cssSelector));
    }

    /** Waits until an element matching the selector is visible and returns it. */
    public WebElement waitVisible(String cssSelector) {
        return new WebDriverWait(driver, DEFAULT_WAIT)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(cssSelector)));
    }

    /** Waits until the script (a function body returning a value) returns something truthy. */
    public Object waitFor(String script, Object... args) {
        return new WebDriverWait(driver, DEFAULT_WAIT).until(d -> {
            Object value = ((JavascriptExecutor) d).executeScript(script, args);
            return value instanceof Boolean b && !b ? null : value;
        });
    }

    public Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Runs an asynchronous script: its last argument is the callback to call with the result. */
    public Object asyncScript(Duration timeout, String script, Object... args) {
        driver.manage().timeouts().scriptTimeout(timeout);
        return driver.executeAsyncScript(script, args);
    }

    /** The console entries logged since the last call (the driver hands each entry out once). */
    public List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Console entries at SEVERE level since the last call, minus those {@code ignore} accepts. */
    public List<String> consoleErrors(Predicate<String> ignore) {
        return console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).filter(ignore.negate()).toList();
    }

    /** Saves a screenshot as {@code target/screenshots/<name>.png} and returns the path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.move(shot, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
