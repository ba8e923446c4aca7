package dev.conduit.it.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, with a profile of its own that is deleted on {@link #close()}: what one person
 * does in a browser. Uses Debian's {@code chromium} and {@code chromium-driver} (paths from the system properties
 * {@code chromium.binary} and {@code chromedriver.binary}), so Selenium never downloads anything.
 */
public final class Browser implements AutoCloseable {

    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a fresh headless Chromium. */
    public static Browser open() {
        return start(null);
    }

    /** Starts a fresh headless Chromium that saves downloads into {@code downloads} without asking. */
    public static Browser withDownloadsIn(Path downloads) {
        return start(downloads);
    }

    private static Browser start(Path downloads) {
        Path workDir = Path.of(System.getProperty("browser.work.dir", "target/browser"));
        try {
            Files.createDirectories(workDir);
            Path profile = Files.createTempDirectory(workDir, "profile-");
            ChromeOptions options = new ChromeOptions()
                    .setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"))
                    .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--disable-dev-shm-usage", "--window-size=1280,900",
                            "--user-data-dir=" + profile.toAbsolutePath());
            if (downloads != null) {
                Files.createDirectories(downloads);
                options.setExperimentalOption("prefs", java.util.Map.of(
                        "download.default_directory", downloads.toAbsolutePath().toString(),
                        "download.prompt_for_download", false));
            }
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")).toFile())
                    .usingAnyFreePort()
                    .withLogFile(workDir.resolve(profile.getFileName() + "-chromedriver.log").toFile())
                    .build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a browser profile in " + workDir, e);
        }
    }

    /** Opens a URL and waits for the page to load. */
    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Opens a protected URL with HTTP Basic credentials in it. Chromium then keeps them for that server's realm and
     * answers its later challenges by itself, like a person who signed in once.
     */
    public Browser signInWithBasicAuth(URI url, String user, String password) {
        URI withCredentials = URI.create(url.getScheme() + "://" + user + ":" + password + "@" + url.getRawAuthority()
                + url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        driver.get(withCredentials.toString());
        return this;
    }

    /**
     * Fills Keycloak's login form (the page the browser is on, or reaches within the page wait) and submits it.
     *
     * @return this browser, now on whatever page Keycloak sent it to
     */
    public Browser signInAtKeycloak(String user, String password) {
        WebDriverWait wait = new WebDriverWait(driver, PAGE_WAIT);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        return this;
    }

    /** Waits until the browser is on a URL that starts with {@code prefix}; returns that URL. */
    public String awaitUrlStartingWith(String prefix) {
        try {
            new WebDriverWait(driver, PAGE_WAIT).until(d -> currentUrl().startsWith(prefix));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the browser did not reach " + prefix + "; it is on " + currentUrl()
                    + " showing: " + pageText(), e);
        }
        return currentUrl();
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** The driver, for what a page object does on the page. */
    public ChromeDriver driver() {
        return driver;
    }

    /** Saves a screenshot of the current page as {@code <screenshots dir>/<name>.png}; returns the file. */
    public Path screenshot(String name) {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save a screenshot in " + dir, e);
        }
    }

    /** The visible text of the page. */
    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a profile left in target/ is removed by the next clean
        }
    }
}
