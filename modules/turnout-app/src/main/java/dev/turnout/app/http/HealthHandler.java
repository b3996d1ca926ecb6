package dev.turnout.app.http;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.turnout.core.health.HealthReport;
import dev.turnout.core.health.Part;
import dev.turnout.core.health.PartStatus;
import dev.turnout.core.health.Parts;

/**
 * {@code GET /health/live} and {@code GET /health/ready}: 200 or 503, and a JSON body listing every configured part
 * with its state (and, when it is not running, the reason), for Kubernetes probes and for people:
 *
 * <pre>{"ready":false,"parts":[{"part":"capture","state":"FAILED","detail":"Replication slot ..."}]}</pre>
 *
 * <p>Ready means every configured part runs; live means no part has failed (a failed part does not recover by itself,
 * so the process should be restarted).
 */
final class HealthHandler implements HttpHandler {

    /** Which question the handler answers. */
    enum Probe {
        LIVE("live"), READY("ready");

        private final String field;

        Probe(String field) {
            this.field = field;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Parts parts;
    private final Probe probe;

    HealthHandler(Parts parts, Probe probe) {
        this.parts = parts;
        this.probe = probe;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!Responses.allowGetOrHead(exchange)) {
                return;
            }
            HealthReport report = parts.report();
            boolean ok = probe == Probe.LIVE ? report.live() : report.ready();
            ObjectNode body = JSON.createObjectNode();
            body.put(probe.field, ok);
            ArrayNode list = body.putArray("parts");
            for (Map.Entry<Part, PartStatus> e : report.parts().entrySet()) {
                ObjectNode part = list.addObject();
                part.put("part", e.getKey().tag());
                part.put("state", e.getValue().state().name());
                e.getValue().detail().ifPresent(d -> part.put("detail", d));
            }
            Responses.send(exchange, ok ? 200 : 503, "application/json", JSON.writeValueAsBytes(body));
        }
    }
}
