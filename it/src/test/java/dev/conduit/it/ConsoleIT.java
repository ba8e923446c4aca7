package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.conduit.it.browser.Browser;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.ServerConfiguration;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.console.ConsolePage;
import dev.conduit.it.http.Http;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.KeycloakApi;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The console in Chromium against the real server and Keycloak: what an administrator and two users see and do, the
 * sign-in through Keycloak's OpenID Connect, and another site's form refused. Each test saves its final page under
 * {@code target/screenshots}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT {

    private static final String BASE = ConduitApi.baseUrl();
    private static RecordingProxy keycloak;

    private final ConduitApi admin = ConduitApi.admin();
    private final ConduitApi alice = ConduitApi.alice();
    private final ConduitApi bob = ConduitApi.bob();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @BeforeAll
    static void startProxy() {
        keycloak = RecordingProxy.start(Keycloak.server().baseUri());
    }

    @AfterAll
    static void stopProxy() {
        keycloak.close();
    }

    @Test
    void saveWhenAdministratorCreatesAClientCredentialsSystemInTheFormThenTokenTestAndErrorAndFixShowInTheList() {
        String name = TestSystems.uniqueName("console-cc");
        try (Browser browser = Browser.open()) {
            ConsolePage page = new ConsolePage(browser, BASE).signIn("/console/systems.html", admin.user(),
                    admin.password());
            page.click(By.linkText("New system"));
            page.type("f-name", name);
            page.choose("f-grantType", "client_credentials");
            assertThat(page.visible(By.id("f-tokenEndpoint")).isDisplayed()).isTrue();
            assertThat(page.driver().findElement(By.id("f-authorizationEndpoint")).isDisplayed())
                    .as("only the grant type's fields").isFalse();
            page.type("f-tokenEndpoint", Keycloak.tokenEndpoint());
            page.type("f-clientId", RealmClients.CC_CLIENT);
            page.type("f-clientSecret", RealmClients.CC_SECRET);
            page.type("f-scope", "orders.read");
            // the per-system limits come from the schema like every field; left empty, the server's settings apply
            page.type("f-callDeadlineSeconds", "20");
            assertThat(page.visible(By.id("f-renewalWindowSeconds")).getAttribute("value")).isEmpty();
            page.click(By.id("save"));
            page.awaitText(By.id("outcome"), "Token test succeeded");
            JsonNode saved = admin.system(name).json();
            assertThat(saved.get("callDeadlineSeconds").asInt()).isEqualTo(20);
            assertThat(saved.has("renewalWindowSeconds")).isFalse();

            page.open("/console/system.html?name=" + name);
            assertThat(page.visible(By.id("f-clientSecret")).getAttribute("placeholder"))
                    .isEqualTo("set; leave empty to keep");
            assertThat(page.visible(By.id("f-callDeadlineSeconds")).getAttribute("value")).isEqualTo("20");
            page.type("f-clientSecret", "not-the-secret");
            page.click(By.id("save"));
            String failed = page.awaitText(By.id("outcome"), "token test failed");
            assertThat(failed).contains("unauthorized_client").doesNotContain("not-the-secret");

            page.open("/console/systems.html");
            String error = page.awaitText(page.row(name), "Error");
            assertThat(error).contains("What to do:", "check the client id, the client secret");
            assertThat(admin.system(name).json().get("status").asText()).isEqualTo("ERROR");

            page.open("/console/system.html?name=" + name);
            page.type("f-clientSecret", RealmClients.CC_SECRET);
            page.click(By.id("save"));
            page.awaitText(By.id("outcome"), "Token test succeeded");
            page.open("/console/systems.html");
            String ok = page.awaitText(page.row(name), "OK");
            assertThat(ok).doesNotContain("Error");
            assertThat(admin.system(name).json().get("status").asText()).isEqualTo("OK");
            browser.screenshot("console-1-systems-list");

            // another host for the token endpoint without the secret: refused next to the secret field, nothing sent
            long tokenRequests = keycloak.count(RecordingProxy.Exchange::isTokenRequest);
            page.open("/console/system.html?name=" + name);
            page.type("f-tokenEndpoint", keycloak.url() + URI.create(Keycloak.tokenEndpoint()).getRawPath());
            page.click(By.id("save"));
            String required = page.awaitText(By.id("f-clientSecret-error"), "send it again");
            assertThat(required).contains("tokenEndpoint").doesNotContain(RealmClients.CC_SECRET);
            assertThat(keycloak.count(RecordingProxy.Exchange::isTokenRequest)).isEqualTo(tokenRequests);
            page.type("f-clientSecret", RealmClients.CC_SECRET);
            page.click(By.id("save"));
            page.awaitText(By.id("outcome"), "Token test succeeded");
            assertThat(keycloak.count(RecordingProxy.Exchange::isTokenRequest)).isEqualTo(tokenRequests + 1);
        } finally {
            admin.deleteSystemIfPresent(name);
        }
    }

    @Test
    void authorizeWhenAdministratorDiscoversAnAuthorizationCodeSystemThenThePopupSignsInAndTheFormShowsAuthorized() {
        String name = TestSystems.uniqueName("console-ac");
        try (Browser browser = Browser.open()) {
            ConsolePage page = new ConsolePage(browser, BASE).signIn("/console/system.html", admin.user(),
                    admin.password());
            page.type("f-name", name);
            page.choose("f-grantType", "authorization_code");
            page.type("f-issuer", Keycloak.issuer());
            page.click(By.id("discover"));
            page.awaitText(By.id("outcome"), "Filled from " + Keycloak.issuer());
            assertThat(page.visible(By.id("f-tokenEndpoint")).getAttribute("value")).isEqualTo(Keycloak.tokenEndpoint());
            assertThat(page.visible(By.id("f-authorizationEndpoint")).getAttribute("value"))
                    .isEqualTo(Keycloak.authorizationEndpoint());
            page.type("f-clientId", RealmClients.WEB_CLIENT);
            page.type("f-clientSecret", RealmClients.WEB_SECRET);
            page.type("f-scope", "openid");
            page.click(By.id("save"));
            page.awaitText(By.id("outcome"), name + " was saved");
            assertThat(page.visible(By.id("redirect-uri")).getAttribute("value")).isEqualTo(BASE + "/oauth/callback");
            page.click(By.id("copy-redirect"));
            page.awaitText(By.cssSelector("#redirect-box [role=status]"), "Copied");
            page.script("window.conduitNotReloaded = true;");

            page.authorizeInPopup(By.id("authorize"), RealmClients.ALICE, RealmClients.ALICE_PASSWORD);

            String state = page.awaitText(By.id("authorize-state"), "Authorized as");
            assertThat(state).contains("Done", "openid", "expires at");
            assertThat(page.script("return window.conduitNotReloaded === true;")).as("no reload").isEqualTo(true);
            assertThat(admin.authorization(name).json().get("status").asText()).isEqualTo("AUTHORIZED");
            page.script("window.scrollTo(0, 0);");
            browser.screenshot("console-2-authorize");
        } finally {
            admin.deleteSystemIfPresent(name);
        }
    }

    @Test
    void connectWhenAliceConnectsAndDisconnectsThenSheSeesHerStatusBobSeesHisAndKeycloakSaysTheTokenIsInactive() {
        String name = TestSystems.uniqueName("console-user");
        assertThat(admin.createSystem(TestSystems.authorizationCode(name, keycloak)).status()).isEqualTo(201);
        try (Browser aliceBrowser = Browser.open(); Browser bobBrowser = Browser.open()) {
            ConsolePage alicePage = new ConsolePage(aliceBrowser, BASE).signIn("/console/?connect=" + name,
                    alice.user(), alice.password());
            alicePage.awaitText(alicePage.row(name), "Authorization required");
            assertThat(alicePage.driver().findElement(By.cssSelector("[data-connect='" + name + "']")))
                    .as("the system the integration sent her for has the focus")
                    .isEqualTo(alicePage.driver().switchTo().activeElement());
            keycloak.clear();

            alicePage.authorizeInPopup(By.cssSelector("[data-connect='" + name + "']"), RealmClients.ALICE,
                    RealmClients.ALICE_PASSWORD);

            String authorized = alicePage.awaitText(alicePage.row(name), "Authorized");
            assertThat(authorized).contains("openid", "access until");
            aliceBrowser.screenshot("console-3-my-connections-authorized");
            aliceBrowser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            assertThat(alicePage.script("return document.documentElement.scrollWidth <= window.innerWidth;"))
                    .as("no sideways scrolling at 390 px").isEqualTo(true);
            aliceBrowser.screenshot("console-3-my-connections-390px");
            aliceBrowser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
            String accessToken = keycloak.exchanges(e -> e.isTokenRequest("authorization_code")).get(0)
                    .answer("access_token").orElseThrow();
            assertThat(KeycloakApi.introspect(accessToken).get("active").asBoolean()).isTrue();

            ConsolePage bobPage = new ConsolePage(bobBrowser, BASE).signIn("/console/", bob.user(), bob.password());
            assertThat(bobPage.awaitText(bobPage.row(name), "Authorization required")).doesNotContain("Authorized ");

            alicePage.click(By.cssSelector("[data-disconnect='" + name + "']"));
            alicePage.awaitText(By.cssSelector("dialog[open]"), "revokes your access");
            alicePage.click(By.id("confirm-ok"));

            alicePage.awaitText(alicePage.row(name), "Authorization required");
            alicePage.awaitText(By.id("message"), "Disconnected from " + name);
            assertThat(KeycloakApi.introspect(accessToken).get("active").asBoolean()).isFalse();
            aliceBrowser.screenshot("console-3-my-connections");
        } finally {
            admin.deleteSystemIfPresent(name);
        }
    }

    @Test
    void importWhenTheCustomizationLacksASecretThenThePageListsTheKeyAndNothingIsImportedUntilItIsFilledIn()
            throws IOException {
        String cc = TestSystems.uniqueName("console-export");
        Path downloads = Path.of(System.getProperty("browser.work.dir", "target/browser"), "downloads-"
                + UUID.randomUUID());
        deleteEverySystem();
        assertThat(admin.createSystem(TestSystems.clientCredentials(cc, keycloak, RealmClients.CC_SECRET,
                "orders.read")).status()).isEqualTo(201);
        try (Browser browser = Browser.withDownloadsIn(downloads)) {
            ConsolePage page = new ConsolePage(browser, BASE).signIn("/console/transfer.html", admin.user(),
                    admin.password());
            page.click(By.id("export-package"));
            Path packageFile = awaitDownload(downloads.resolve("conduit-export.json"));
            page.click(By.id("export-customization"));
            Path customizationFile = awaitDownload(downloads.resolve("customization.properties"));
            assertThat(Files.readString(packageFile)).contains(cc).doesNotContain(RealmClients.CC_SECRET);
            assertThat(Files.readString(customizationFile)).contains(cc + ".clientSecret=");
            deleteEverySystem();

            page.driver().findElement(By.id("package-file")).sendKeys(packageFile.toAbsolutePath().toString());
            page.driver().findElement(By.id("customization-file"))
                    .sendKeys(customizationFile.toAbsolutePath().toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> !page.visible(By.id("customization"))
                    .getAttribute("value").isEmpty());
            page.click(By.id("import-button"));

            assertThat(page.awaitText(By.id("missing"), cc + ".clientSecret")).contains(cc + ".clientSecret");
            page.awaitText(By.id("import-message"), "Nothing was imported");
            assertThat(admin.get("/api/connected-systems").json()).as("nothing imported").isEmpty();

            page.script("const t = document.getElementById('customization');"
                    + "t.value = t.value.replace(arguments[0] + '=', arguments[0] + '=' + arguments[1]);",
                    cc + ".clientSecret", RealmClients.CC_SECRET);
            page.click(By.id("import-button"));

            page.awaitText(By.id("import-message"), "Imported: " + cc);
            assertThat(admin.system(cc).json().get("clientSecretSet").asBoolean()).isTrue();
            assertThat(admin.test(cc).json().at("/tokenTest/ok").asBoolean()).isTrue();
            browser.screenshot("console-4-import");
        } finally {
            admin.deleteSystemIfPresent(cc);
        }
    }

    @Test
    void signInWhenKeycloakUsersSignInWithOpenIdConnectThenTheAdminGroupGetsAdministrationAndTheUserGroupA403() {
        ServerConfiguration oidc = ServerConfiguration.dropin("it-console-oidc.xml");
        oidc.write(Map.of("conduit.signin.oidc.issuer", Keycloak.issuer(),
                "conduit.signin.oidc.client-id", RealmClients.CONSOLE_CLIENT,
                "conduit.signin.oidc.client-secret", RealmClients.CONSOLE_SECRET));
        try (Browser carolBrowser = Browser.open(); Browser daveBrowser = Browser.open()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.send(Http.request(BASE + "/console/login").GET().build())
                    .body().contains("\"oidc\":true"));
            ConsolePage carol = signInWithKeycloak(carolBrowser, "/console/systems.html", RealmClients.CAROL,
                    RealmClients.CAROL_PASSWORD);
            assertThat(carol.visible(By.id("who")).getText()).isEqualTo(RealmClients.CAROL);
            carol.visible(By.id("systems"));
            assertThat(carol.visible(By.tagName("nav")).getText()).contains("Connected systems", "Import / export");

            ConsolePage dave = signInWithKeycloak(daveBrowser, "/console/", RealmClients.DAVE,
                    RealmClients.DAVE_PASSWORD);
            assertThat(dave.visible(By.id("who")).getText()).isEqualTo(RealmClients.DAVE);
            assertThat(dave.visible(By.tagName("nav")).getText()).contains("My connections")
                    .doesNotContain("Connected systems");
            Object apiStatus = ((org.openqa.selenium.JavascriptExecutor) dave.driver()).executeAsyncScript(
                    "const done = arguments[0]; fetch('/api/connected-systems', {headers: {'X-Conduit-Console': '1'}})"
                            + ".then(r => done(r.status));");
            assertThat(apiStatus).isEqualTo(403L);
            dave.open("/console/systems.html");
            assertThat(dave.awaitText(By.tagName("body"), "No access to this page")).contains("FORBIDDEN");
            daveBrowser.screenshot("console-5-oidc-user-forbidden");
        } finally {
            oidc.remove();
        }
    }

    @Test
    void postWhenAnotherSitesFormTargetsConsoleActionsThenCrossSiteRequestAndTheSessionIsUntouched()
            throws IOException {
        String name = TestSystems.uniqueName("console-csrf");
        assertThat(admin.createSystem(TestSystems.authorizationCode(name, keycloak)).status()).isEqualTo(201);
        HttpServer attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String page = """
                <!DOCTYPE html><html><body>
                <form id="f" method="post" action="%s" enctype="%s"><input name="a" value="b"></form>
                <script>document.getElementById('f').submit();</script></body></html>""";
        attacker.createContext("/logout", exchange -> respond(exchange, page.formatted(BASE + "/console/logout",
                "application/x-www-form-urlencoded")));
        attacker.createContext("/authorize", exchange -> respond(exchange, page.formatted(BASE
                + "/api/connected-systems/" + name + "/authorization-link?redirect=true", "text/plain")));
        attacker.start();
        String attackerBase = "http://localhost:" + attacker.getAddress().getPort();
        try (Browser browser = Browser.open()) {
            ConsolePage console = new ConsolePage(browser, BASE).signIn("/console/", alice.user(), alice.password());
            keycloak.clear();

            browser.open(attackerBase + "/logout");
            String refused = console.awaitText(By.tagName("body"), "CROSS_SITE_REQUEST");
            assertThat(browser.currentUrl()).isEqualTo(BASE + "/console/logout");
            assertThat(refused).contains("another site");

            browser.open(attackerBase + "/authorize");
            console.awaitText(By.tagName("body"), "CROSS_SITE_REQUEST");
            assertThat(browser.currentUrl()).as("never sent on to Keycloak").startsWith(BASE + "/api/");
            browser.screenshot("console-6-cross-site-refused");
            assertThat(keycloak.count(e -> true)).as("no request of Conduit's reached Keycloak").isZero();

            console.open("/console/");
            assertThat(console.visible(By.id("who")).getText()).as("still signed in").isEqualTo(alice.user());
            assertThat(alice.authorization(name).json().get("status").asText()).isEqualTo("AUTHORIZATION_REQUIRED");
        } finally {
            attacker.stop(0);
            admin.deleteSystemIfPresent(name);
        }
    }

    private ConsolePage signInWithKeycloak(Browser browser, String path, String user, String password) {
        ConsolePage page = new ConsolePage(browser, BASE).open(path);
        browser.awaitUrlStartingWith(BASE + "/console/login.html");
        page.click(By.id("oidc-link"));
        browser.signInAtKeycloak(user, password);
        browser.awaitUrlStartingWith(BASE + path);
        page.visible(By.id("who"));
        return page;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Path awaitDownload(Path file) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.isRegularFile(file) && Files.size(file) > 0);
        return file;
    }

    /** An empty Conduit: what other scenarios left behind is removed. */
    private void deleteEverySystem() {
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode system : admin.get("/api/connected-systems").json()) {
            if (!system.path("readOnly").asBoolean()) {
                names.add(system.get("name").asText());
            }
        }
        names.forEach(admin::deleteSystemIfPresent);
    }
}
