package dev.turnout.app.dashboard;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileSummary;

/**
 * The page's JSON endpoints, answered from the {@link ReconcileView}:
 * <ul>
 *   <li>{@code GET /api/overview}: the reader's state and, per table, the counts per status, their trend, the age of the
 *       oldest unresolved key (as of now) and the source position reconciled up to;</li>
 *   <li>{@code GET /api/keys?table=&status=&q=&offset=&limit=}: a page of keys, worst first, with their differing fields;
 *       without {@code q} only keys that are not MATCH, with it every key whose text contains it.</li>
 * </ul>
 * Values are row data and reach the page as JSON strings, which the page shows as text.
 */
final class ApiHandler implements HttpHandler {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReconcileView view;
    private final String pipeline;
    private final Duration grace;
    private final Clock clock;

    ApiHandler(ReconcileView view, String pipeline, Duration grace, Clock clock) {
        this.view = view;
        this.pipeline = pipeline;
        this.grace = grace;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!HttpResponses.allowGetOrHead(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            ObjectNode body;
            try {
                body = switch (path) {
                    case "/api/overview" -> overview();
                    case "/api/keys" -> keys(HttpResponses.query(exchange));
                    default -> null;
                };
            } catch (IllegalArgumentException e) {
                HttpResponses.text(exchange, 400, e.getMessage());
                return;
            }
            if (body == null) {
                HttpResponses.text(exchange, 404, "not found; the API has /api/overview and /api/keys");
                return;
            }
            HttpResponses.send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
        }
    }

    private ObjectNode overview() {
        long now = clock.millis();
        ObjectNode body = JSON.createObjectNode();
        body.put("pipeline", pipeline);
        body.put("now", now);
        body.put("graceMs", grace.toMillis());
        ReconcileView.ReaderState reader = view.reader();
        ObjectNode r = body.putObject("reader");
        r.put("state", reader.state());
        r.put("detail", reader.detail());
        r.put("unreadable", reader.unreadable());
        ArrayNode tables = body.putArray("tables");
        for (String table : view.tables()) {
            ObjectNode t = tables.addObject();
            t.put("table", table);
            StatusCounts counts = view.counts(table);
            t.set("counts", counts(counts));
            t.put("total", counts.total());
            t.put("keysHeld", view.keysHeld(table));
            ReconcileSummary summary = view.summary(table).orElse(null);
            if (summary != null) {
                long emitted = summary.getEmittedAt().toEpochMilli();
                Long age = summary.getOldestUnresolvedAgeMs();
                if (age != null) {
                    t.put("oldestUnresolvedAgeMs", age + Math.max(0, now - emitted));
                } else {
                    t.putNull("oldestUnresolvedAgeMs");
                }
                t.put("sourceLsn", Lsn.text(summary.getSourceLsn()));
                t.put("summaryAt", emitted);
            } else {
                t.putNull("oldestUnresolvedAgeMs");
                t.putNull("sourceLsn");
                t.putNull("summaryAt");
            }
            ArrayNode trend = t.putArray("trend");
            for (TrendRing.Sample s : view.trend(table)) {
                ObjectNode point = counts(s.counts());
                point.put("at", s.at());
                trend.add(point);
            }
        }
        return body;
    }

    private static ObjectNode counts(StatusCounts c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("MATCH", c.match());
        n.put("PENDING", c.pending());
        n.put("MISMATCH", c.mismatch());
        n.put("MISSING", c.missing());
        n.put("EXTRA", c.extra());
        return n;
    }

    private ObjectNode keys(Map<String, String> query) {
        String table = blankToNull(query.get("table"));
        KeyStatus status = status(blankToNull(query.get("status")));
        String search = blankToNull(query.get("q"));
        int offset = number(query, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = number(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        ReconcileView.Page page = view.keys(table, status, search, offset, limit);
        ObjectNode body = JSON.createObjectNode();
        body.put("total", page.total());
        body.put("offset", page.offset());
        body.put("limit", limit);
        ArrayNode list = body.putArray("keys");
        for (KeyEntry k : page.keys()) {
            ObjectNode n = list.addObject();
            n.put("table", k.table());
            n.put("key", k.key());
            n.put("status", k.status().name());
            ArrayNode diffs = n.putArray("differences");
            for (KeyEntry.Difference d : k.differences()) {
                diffs.addObject().put("field", d.field()).put("expected", d.expected()).put("actual", d.actual());
            }
            n.put("sourceLsn", Lsn.text(k.sourceLsn()));
            n.put("targetLsn", Lsn.text(k.targetLsn()));
            n.put("firstSeen", k.firstSeen());
            n.put("lastChecked", k.lastChecked());
            n.put("pendingUntil", k.pendingUntil());
        }
        return body;
    }

    private static KeyStatus status(String text) {
        if (text == null) {
            return null;
        }
        try {
            return KeyStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of MATCH, PENDING, MISMATCH, MISSING, EXTRA; got "
                + text);
        }
    }

    private static int number(Map<String, String> query, String name, int fallback, int min, int max) {
        String text = blankToNull(query.get(name));
        if (text == null) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(text)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number; got " + text);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
