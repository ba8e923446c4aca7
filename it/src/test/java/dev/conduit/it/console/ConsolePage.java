package dev.conduit.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.it.browser.Browser;
import java.time.Duration;
import java.util.Set;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What a person does in Conduit's console, one browser: sign in, fill fields, click, read what the page shows. */
public final class ConsolePage {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Browser browser;
    private final String base;

    public ConsolePage(Browser browser, String base) {
        this.browser = browser;
        this.base = base;
    }

    public Browser browser() {
        return browser;
    }

    public WebDriver driver() {
        return browser.driver();
    }

    /** Opens a console page; a person who is not signed in lands on the sign-in page. */
    public ConsolePage open(String path) {
        browser.open(base + path);
        return this;
    }

    /** Opens {@code path}, signs in with the password form on the page it leads to, and waits to be back there. */
    public ConsolePage signIn(String path, String user, String password) {
        open(path);
        browser.awaitUrlStartingWith(base + "/console/login.html");
        visible(By.id("username")).sendKeys(user);
        driver().findElement(By.id("password")).sendKeys(password);
        driver().findElement(By.cssSelector("#login button[type=submit]")).click();
        browser.awaitUrlStartingWith(base + path);
        visible(By.id("who"));
        return this;
    }

    /** Waits until the element is visible. */
    public WebElement visible(By locator) {
        try {
            return new WebDriverWait(driver(), WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
        } catch (TimeoutException e) {
            throw new AssertionError("not visible: " + locator + " on " + browser.currentUrl() + " showing: "
                    + browser.pageText(), e);
        }
    }

    /** Waits until the element's text contains {@code text}; returns the whole text. */
    public String awaitText(By locator, String text) {
        try {
            // the pages re-render their rows after each change: an element read while replaced is read again
            new WebDriverWait(driver(), WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
                var found = d.findElements(locator);
                return !found.isEmpty() && found.get(0).getText().contains(text);
            });
        } catch (TimeoutException e) {
            throw new AssertionError("'" + text + "' never appeared in " + locator + " on " + browser.currentUrl()
                    + "; the page shows: " + browser.pageText(), e);
        }
        return new WebDriverWait(driver(), WAIT).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(locator).getText());
    }

    public void type(String id, String value) {
        WebElement input = visible(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    public void choose(String id, String value) {
        new Select(visible(By.id(id))).selectByValue(value);
    }

    public void click(By locator) {
        new WebDriverWait(driver(), WAIT).until(ExpectedConditions.elementToBeClickable(locator)).click();
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(script, args);
    }

    /** The row of a table for a system ({@code tr[data-system=name]}). */
    public By row(String system) {
        return By.cssSelector("tr[data-system='" + system + "']");
    }

    /**
     * Clicks {@code opener}, which opens a pop-up, and signs in there at Keycloak; then goes back to this window
     * (the console closes the pop-up when the provider sends it back).
     */
    public void authorizeInPopup(By opener, String keycloakUser, String keycloakPassword) {
        String main = driver().getWindowHandle();
        Set<String> before = driver().getWindowHandles();
        click(opener);
        String popup = new WebDriverWait(driver(), WAIT).until(d -> d.getWindowHandles().stream()
                .filter(h -> !before.contains(h)).findFirst().orElse(null));
        driver().switchTo().window(popup);
        browser.signInAtKeycloak(keycloakUser, keycloakPassword);
        driver().switchTo().window(main);
        new WebDriverWait(driver(), WAIT).until(d -> d.getWindowHandles().size() == before.size());
        assertThat(driver().getWindowHandles()).as("the pop-up closed").isEqualTo(before);
    }
}
