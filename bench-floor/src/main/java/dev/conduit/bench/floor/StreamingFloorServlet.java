package dev.conduit.bench.floor;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;

/**
 * The floor for the proxy: a bare streaming forwarder with a fixed {@code Authorization} header. Any method; the path
 * after {@code /stream}, the query, the headers (but hop-by-hop ones) and the body go to the resource server; status,
 * headers and body come back, both bodies streamed. No path checks, no allow-list, no token lookup.
 */
@WebServlet("/stream/*")
public class StreamingFloorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        String path = uri.substring(request.getContextPath().length() + "/stream".length());
        String query = request.getQueryString();
        long length = request.getContentLengthLong();
        boolean hasBody = length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
        InputStream in = request.getInputStream();
        HttpRequest.BodyPublisher body = !hasBody ? HttpRequest.BodyPublishers.noBody() : length > 0
                ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> in), length)
                : HttpRequest.BodyPublishers.ofInputStream(() -> in);
        HttpRequest.Builder outbound = HttpRequest.newBuilder(URI.create(Floors.TARGET + path
                + (query == null ? "" : "?" + query))).timeout(Duration.ofSeconds(30)).method(request.getMethod(), body);
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!Floors.hopByHop(name)) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    outbound.header(name, value);
                }
            }
        }
        outbound.setHeader("Authorization", Floors.AUTHORIZATION);
        HttpResponse<InputStream> answer;
        try {
            answer = Floors.HTTP.send(outbound.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!Floors.hopByHop(name)) {
                values.forEach(value -> response.addHeader(name, value));
            }
        });
        answer.headers().firstValueAsLong("Content-Length").ifPresent(response::setContentLengthLong);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream from = answer.body()) {
            OutputStream to = response.getOutputStream();
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                to.write(buffer, 0, n);
            }
        }
    }
}
