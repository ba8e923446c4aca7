package dev.conduit.bench.floor;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The floor for {@code invoke}: reads the same JSON envelope ({@code {method, path, headers}}), makes the same call
 * with one shared JDK client and a fixed bearer token, and answers a JSON-P envelope {@code {status, headers, body}}.
 * No token lookup, no system, no policy: what Liberty and the JDK need for the same exchange.
 */
@WebServlet("/json")
public class JsonFloorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObject call;
        try (JsonReader reader = Json.createReader(request.getInputStream())) {
            call = reader.readObject();
        }
        String path = call.getString("path", "");
        HttpRequest.Builder outbound = HttpRequest.newBuilder(URI.create(Floors.TARGET + (path.startsWith("/") ? path
                : "/" + path))).timeout(Duration.ofSeconds(30)).method(call.getString("method", "GET"),
                HttpRequest.BodyPublishers.noBody());
        JsonObject headers = call.getJsonObject("headers");
        if (headers != null) {
            headers.forEach((name, value) -> outbound.header(name, ((jakarta.json.JsonString) value).getString()));
        }
        outbound.setHeader("Authorization", Floors.AUTHORIZATION);
        HttpResponse<byte[]> answer;
        try {
            answer = Floors.HTTP.send(outbound.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        JsonObjectBuilder answerHeaders = Json.createObjectBuilder();
        answer.headers().map().forEach((name, values) -> {
            if (!Floors.hopByHop(name)) {
                JsonArrayBuilder list = Json.createArrayBuilder();
                values.forEach(list::add);
                answerHeaders.add(name, list);
            }
        });
        JsonObject envelope = Json.createObjectBuilder().add("status", answer.statusCode()).add("headers", answerHeaders)
                .add("body", new String(answer.body(), StandardCharsets.UTF_8)).build();
        response.setContentType("application/json");
        try (var writer = Json.createWriter(response.getOutputStream())) {
            writer.writeObject(envelope);
        }
    }
}
