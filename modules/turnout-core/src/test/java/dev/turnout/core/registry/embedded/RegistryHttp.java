package dev.turnout.core.registry.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small REST client for the registry in tests: JDK HttpClient, Jackson for JSON. Thread-safe. */
final class RegistryHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    RegistryHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    RegistryHttp(EmbeddedSchemaRegistry registry) {
        this(registry.url());
    }

    /** An answer: status, parsed JSON body and content type. */
    record Reply(int status, JsonNode body, String contentType) {
        int errorCode() {
            return body.path("error_code").asInt(-1);
        }

        String message() {
            return body.path("message").asText();
        }

        int id() {
            return body.path("id").asInt(-1);
        }

        List<Integer> ints() {
            List<Integer> values = new ArrayList<>();
            body.forEach(node -> values.add(node.asInt()));
            return values;
        }

        List<String> strings() {
            List<String> values = new ArrayList<>();
            body.forEach(node -> values.add(node.asText()));
            return values;
        }
    }

    /** Percent-encodes a subject for use as one path segment. */
    static String segment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Map<String, Object> schemaBody(String schema) {
        return Map.of("schema", schema);
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Reply post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    Reply post(String path, String contentType, String rawBody) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(rawBody)));
    }

    Reply put(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", CONTENT_TYPE)
            .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** Registers a schema and returns its id, failing the test on any other answer. */
    int register(String subject, String schema) {
        Reply reply = post("/subjects/" + segment(subject) + "/versions", schemaBody(schema));
        if (reply.status() != 200) {
            throw new AssertionError("registering under " + subject + " answered " + reply);
        }
        return reply.id();
    }

    /** Sets a subject's compatibility level, failing the test on any other answer. */
    void setLevel(String subject, String level) {
        Reply reply = put("/config/" + segment(subject), Map.of("compatibility", level));
        if (reply.status() != 200) {
            throw new AssertionError("setting the level of " + subject + " answered " + reply);
        }
    }

    @Override
    public String toString() {
        return baseUrl;
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), body, response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
