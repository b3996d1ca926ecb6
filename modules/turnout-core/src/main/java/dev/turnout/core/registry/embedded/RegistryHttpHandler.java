package dev.turnout.core.registry.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.turnout.core.registry.RegistryErrorCode;
import dev.turnout.core.registry.embedded.RegistryState.SubjectVersion;

/**
 * Maps the Confluent Schema Registry REST paths onto {@link RegistryService} and writes its JSON answers and errors.
 *
 * <p>Threads: one instance serves every exchange on the HTTP server's executor threads; it holds nothing but the route
 * table. Request bodies are read as JSON whatever their declared content type (Confluent's, application/json and
 * application/octet-stream are what clients send). Every answer, errors included, is
 * {@code application/vnd.schemaregistry.v1+json}; errors are {@code {"error_code": N, "message": "..."}}.
 */
final class RegistryHttpHandler implements HttpHandler {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger log = LoggerFactory.getLogger(RegistryHttpHandler.class);
    private static final ObjectMapper JSON = StoreRecords.JSON;

    /** One operation: takes the captured path segments, the query and the body, returns the JSON answer. */
    private interface Action {
        Object run(List<String> params, RequestPath path, Body body);
    }

    private record Route(String method, List<String> pattern, Action action) {
        List<String> match(List<String> segments) {
            if (segments.size() != pattern.size()) {
                return null;
            }
            List<String> params = new ArrayList<>();
            for (int i = 0; i < pattern.size(); i++) {
                if (pattern.get(i).equals("*")) {
                    params.add(segments.get(i));
                } else if (!pattern.get(i).equals(segments.get(i))) {
                    return null;
                }
            }
            return params;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    RegistryHttpHandler(RegistryService service) {
        route("GET", "", (p, path, body) -> Map.of());
        route("GET", "subjects", (p, path, body) -> service.subjects());
        route("POST", "subjects/*", (p, path, body) ->
            versionJson(service.lookup(p.get(0), body.schema(), body.schemaType())));
        route("DELETE", "subjects/*", (p, path, body) -> service.deleteSubject(p.get(0)));
        route("GET", "subjects/*/versions", (p, path, body) -> service.versions(p.get(0)));
        route("POST", "subjects/*/versions", (p, path, body) ->
            Map.of("id", service.register(p.get(0), body.schema(), body.schemaType())));
        route("GET", "subjects/*/versions/*", (p, path, body) -> versionJson(service.version(p.get(0), p.get(1))));
        route("DELETE", "subjects/*/versions/*", (p, path, body) -> service.deleteVersion(p.get(0), p.get(1)));
        route("GET", "schemas/ids/*", (p, path, body) -> Map.of("schema", service.schemaById(p.get(0))));
        route("GET", "config", (p, path, body) -> Map.of("compatibilityLevel", service.globalLevel().name()));
        route("PUT", "config", (p, path, body) -> Map.of("compatibility", service.setLevel(null, body.level()).name()));
        route("GET", "config/*", (p, path, body) ->
            Map.of("compatibilityLevel", service.subjectLevel(p.get(0), path.flag("defaultToGlobal")).name()));
        route("PUT", "config/*", (p, path, body) ->
            Map.of("compatibility", service.setLevel(p.get(0), body.level()).name()));
        route("POST", "compatibility/subjects/*/versions/*", (p, path, body) -> {
            List<String> problems = service.checkCompatibility(p.get(0), p.get(1), body.schema(), body.schemaType());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("is_compatible", problems.isEmpty());
            if (path.flag("verbose")) {
                answer.put("messages", problems);
            }
            return answer;
        });
    }

    private void route(String method, String pattern, Action action) {
        routes.add(new Route(method, pattern.isEmpty() ? List.of() : List.of(pattern.split("/")), action));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            int status = 200;
            Object answer;
            try {
                answer = dispatch(exchange);
            } catch (RegistryException e) {
                status = e.status();
                answer = error(e.errorCode(), e.getMessage());
                if (status >= 500) {
                    log.warn("Schema registry: {} {} failed: {}", exchange.getRequestMethod(),
                        exchange.getRequestURI(), e.getMessage());
                }
            } catch (RuntimeException e) {
                status = 500;
                answer = error(RegistryErrorCode.STORE_ERROR, "Internal error: " + e);
                log.warn("Schema registry: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                    e.toString());
                log.debug("Schema registry request failure", e);
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            exchange.close();
        }
    }

    private Object dispatch(HttpExchange exchange) throws IOException {
        RequestPath path = RequestPath.of(exchange.getRequestURI());
        String method = exchange.getRequestMethod();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            List<String> params = route.match(path.segments());
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return route.action().run(params, path, new Body(readBody(exchange)));
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw RegistryException.notFound();
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw RegistryException.methodNotAllowed();
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error_code", code);
        error.put("message", message);
        return error;
    }

    private static Map<String, Object> versionJson(SubjectVersion version) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subject", version.subject());
        json.put("version", version.version());
        json.put("id", version.id());
        json.put("schema", version.schema());
        return json;
    }

    /** A request body, parsed only when an operation asks for one of its fields. */
    private static final class Body {
        private final byte[] bytes;
        private JsonNode json;

        Body(byte[] bytes) {
            this.bytes = bytes;
        }

        String schema() {
            return text("schema");
        }

        String schemaType() {
            return text("schemaType");
        }

        /** The level of a config update; Confluent's clients send "compatibility", some tools "compatibilityLevel". */
        String level() {
            String level = text("compatibility");
            return level != null ? level : String.valueOf(text("compatibilityLevel"));
        }

        private String text(String field) {
            JsonNode value = json().get(field);
            return value == null || value.isNull() ? null : value.asText();
        }

        private JsonNode json() {
            if (json == null) {
                if (bytes.length == 0) {
                    throw RegistryException.badRequest("Request body is missing; expected a JSON object");
                }
                try {
                    json = JSON.readTree(bytes);
                } catch (JsonProcessingException e) {
                    throw RegistryException.badRequest("Request body is not JSON: " + e.getOriginalMessage());
                } catch (IOException e) {
                    throw RegistryException.badRequest("Request body could not be read: " + e.getMessage());
                }
                if (json == null || !json.isObject()) {
                    throw RegistryException.badRequest("Request body is not a JSON object");
                }
            }
            return json;
        }
    }
}
