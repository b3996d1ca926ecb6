package dev.turnout.app.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/** Any other path: 404 naming the paths that exist. */
final class NotFoundHandler implements HttpHandler {

    private static final byte[] BODY = "not found; this port serves /metrics, /health/live and /health/ready\n"
        .getBytes(StandardCharsets.UTF_8);

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Responses.send(exchange, 404, "text/plain; charset=utf-8", BODY);
        }
    }
}
