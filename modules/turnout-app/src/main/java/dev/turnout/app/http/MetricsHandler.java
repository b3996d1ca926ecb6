package dev.turnout.app.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format, or OpenMetrics when the scraper asks for it in its
 * {@code Accept} header (Prometheus does). Runs on the server's request threads; scraping is thread-safe.
 */
final class MetricsHandler implements HttpHandler {

    private static final String OPENMETRICS = "application/openmetrics-text";
    // The registry picks its writer from the content type it is given; these are the types its two text writers declare.
    static final String TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TYPE = OPENMETRICS + "; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsHandler(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!Responses.allowGetOrHead(exchange)) {
                return;
            }
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String contentType = accept != null && accept.contains(OPENMETRICS) ? OPENMETRICS_TYPE : TEXT_TYPE;
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            registry.scrape(body, contentType);
            Responses.send(exchange, 200, contentType, body.toByteArray());
        }
    }
}
