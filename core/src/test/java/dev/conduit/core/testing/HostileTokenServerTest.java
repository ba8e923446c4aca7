package dev.conduit.core.testing;

import static dev.conduit.core.testing.ScriptedResponse.hang;
import static dev.conduit.core.testing.ScriptedResponse.json;
import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostileTokenServerTest {

    private final HostileTokenServer server = HostileTokenServer.start();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void enqueueWhenQueueRunsOutThenDefaultAnswers() throws Exception {
        server.enqueue(okToken("tok-1", 60), status(500)).setDefault(json(200, "{\"d\":1}"));

        assertThat(post("/token", "a=1").body()).contains("tok-1");
        assertThat(post("/token", "a=2").statusCode()).isEqualTo(500);
        assertThat(post("/token", "a=3").body()).isEqualTo("{\"d\":1}");
        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(server.lastRequest().formParameter("a")).contains("3");
    }

    @Test
    void handleWhenSetThenAnswersEachRequestFromItsState() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.handle(request -> okToken("tok-" + calls.incrementAndGet(), 60));

        assertThat(post("/token", "").body()).contains("tok-1");
        assertThat(post("/token", "").body()).contains("tok-2");
    }

    @Test
    void beforeEachAnswerWhenHookHoldsTheFirstRequestThenTheSecondIsAnsweredMeanwhileAndTheFirstAfterIt()
            throws Exception {
        java.util.concurrent.CountDownLatch secondAnswered = new java.util.concurrent.CountDownLatch(1);
        server.handle(request -> okToken("tok-" + request.formParameter("n").orElseThrow(), 60));
        server.beforeEachAnswer(request -> {
            if (request.formParameter("n").orElseThrow().equals("1")) {
                try {
                    secondAnswered.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        java.util.concurrent.CompletableFuture<HttpResponse<String>> first = client.sendAsync(
                HttpRequest.newBuilder(server.uri("/token")).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("n=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        while (server.requestCount() == 0) {
            Thread.onSpinWait(); // the first request is in the hook before the second is sent
        }
        assertThat(post("/token", "n=2").body()).contains("tok-2");
        assertThat(first).isNotDone();
        secondAnswered.countDown();

        assertThat(first.get().body()).contains("tok-1");
    }

    @Test
    void pathWhenScriptedThenOnlyThatPathUsesIt() throws Exception {
        server.setDefault(okToken("tok-1", 60));
        server.path("/revoke").setDefault(status(200));

        assertThat(post("/revoke", "token=x").body()).isEmpty();
        assertThat(post("/token", "").body()).contains("tok-1");
        assertThat(server.requestCount("/revoke")).isEqualTo(1);
        assertThat(server.requests("/token")).hasSize(1);
    }

    @Test
    void unscriptedWhenRequestedThenNotScriptedError() throws Exception {
        HttpResponse<String> response = post("/anything", "");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("not_scripted");
    }

    @Test
    void hangWhenRequestedThenClientTimesOutAndRequestIsRecorded() {
        server.enqueue(hang());
        HttpRequest request = HttpRequest.newBuilder(server.uri("/token")).timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.noBody()).build();

        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void basicCredentialsWhenFormEncodedThenDecodedAsRfc6749Says() throws Exception {
        server.setDefault(status(200));
        String encoded = Base64.getEncoder().encodeToString("my+id:p%3Aa%25s%2Bs+w%C3%B6rd".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(server.uri("/token")).header("Authorization", "Basic " + encoded)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        client.send(request, HttpResponse.BodyHandlers.ofString());

        RecordedRequest.BasicCredentials credentials = server.lastRequest().basicCredentials().orElseThrow();
        assertThat(credentials.clientId()).isEqualTo("my id");
        assertThat(credentials.clientSecret()).isEqualTo("p:a%s+s wörd");
    }

    @Test
    void resetWhenCalledThenRequestsAndScriptsForgotten() throws Exception {
        server.setDefault(status(200));
        post("/token", "");
        server.reset();

        assertThat(server.requestCount()).isZero();
        assertThat(post("/token", "").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
