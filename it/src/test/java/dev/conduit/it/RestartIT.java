package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.conduit.UserAuthorization;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 9 of issue 5: connected systems and stored tokens survive a server restart (a real stop and start of the
 * Liberty process, on a server of its own), and calls work afterwards without anyone authorizing again.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestartIT {

    private static final String CONTAINER = "liberty-restart";
    private static final String DEPLOYMENT = "restart";

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @Test
    void invokeWhenTheServerRestartedThenSystemsAndTokensSurviveWithoutAuthorizingAgain() {
        String base = System.getProperty("conduit.restart.url", "http://localhost:9082");
        ConduitApi admin = ConduitApi.admin(base);
        ConduitApi alice = ConduitApi.alice(base);
        String cc = TestSystems.uniqueName("restart-cc");
        String user = TestSystems.uniqueName("restart-user");
        controller.start(CONTAINER);
        try (RecordingProxy keycloak = RecordingProxy.start(Keycloak.server().baseUri())) {
            deployer.deploy(DEPLOYMENT);
            assertThat(admin.createSystem(TestSystems.clientCredentials(cc, keycloak, RealmClients.CC_SECRET,
                    "orders.read")).status()).isEqualTo(201);
            assertThat(admin.createSystem(TestSystems.authorizationCode(user, keycloak)).status()).isEqualTo(201);
            UserAuthorization.authorize(alice, user, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);
            assertThat(alice.invokeGet(user, "userinfo", Map.of()).json().get("status").asInt()).isEqualTo(200);
            assertThat(admin.invokeGet(cc, "users", Map.of()).json().get("status").asInt()).isEqualTo(200);

            controller.stop(CONTAINER);
            assertThat(answers(admin)).as("the server is down").isFalse();
            controller.start(CONTAINER);
            awaitApplication(admin);
            keycloak.clear();

            assertThat(admin.get("/api/connected-systems").json()).extracting(n -> n.get("name").asText())
                    .contains(cc, user);
            assertThat(alice.authorization(user).json().get("status").asText()).isEqualTo("AUTHORIZED");
            Response userCall = alice.invokeGet(user, "userinfo", Map.of());
            assertThat(userCall.json().get("status").asInt()).as(userCall.toString()).isEqualTo(200);
            assertThat(userCall.json().get("body").asText()).contains("\"preferred_username\":\"alice\"");
            Response appCall = admin.invokeGet(cc, "users", Map.of());
            assertThat(appCall.json().get("status").asInt()).as(appCall.toString()).isEqualTo(200);
            assertThat(keycloak.count(e -> e.isTokenRequest("authorization_code")))
                    .as("no new authorization after the restart").isZero();
        } finally {
            admin.deleteSystemIfPresent(cc);
            admin.deleteSystemIfPresent(user);
            deployer.undeploy(DEPLOYMENT);
            controller.stop(CONTAINER);
        }
    }

    /** Waits until the application answers again after the server started (it starts with the server). */
    private static void awaitApplication(ConduitApi admin) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (answers(admin)) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Conduit did not answer at " + admin.base() + " after the restart");
    }

    private static boolean answers(ConduitApi admin) {
        try {
            return admin.get("/api/connected-systems").status() == 200;
        } catch (RuntimeException notListening) {
            return false;
        }
    }
}
