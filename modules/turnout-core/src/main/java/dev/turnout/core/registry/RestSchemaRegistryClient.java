package dev.turnout.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.avro.Schema;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API ({@code application/vnd.schemaregistry.v1+json}).
 *
 * <p>Thread-safe. Schemas by id and ids by (subject, schema) are cached for the client's life (they never change in a
 * registry); versions, subjects and configs are always asked for. Registry URLs are tried in order when one cannot be
 * reached; an error answer is not retried.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> urls;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    public RestSchemaRegistryClient(Map<String, ?> configs) {
        this(new RegistryClientConfig(configs));
    }

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this.urls = config.getList(RegistryClientConfig.URL).stream().map(RestSchemaRegistryClient::baseUri).toList();
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(RegistryClientConfig.URL + " names no registry");
        }
        this.timeout = Duration.ofMillis(config.getInt(RegistryClientConfig.REQUEST_TIMEOUT_MS));
        this.authorization = basicAuth(config, urls.get(0));
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        sslContext(config).ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** A client for one URL with no authentication. */
    public static RestSchemaRegistryClient forUrl(String url) {
        return new RestSchemaRegistryClient(Map.of(RegistryClientConfig.URL, url));
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = answer.path("id").asInt();
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        try {
            return Optional.of(registered(send("POST", "/subjects/" + encode(subject), schemaBody(schema))));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == RegistryErrorCode.SCHEMA_NOT_FOUND || e.errorCode() == RegistryErrorCode.SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> subjects() {
        return JSON.convertValue(send("GET", "/subjects", null), new TypeReference<List<String>>() { });
    }

    @Override
    public List<Integer> versions(String subject) {
        return JSON.convertValue(send("GET", "/subjects/" + encode(subject) + "/versions", null),
            new TypeReference<List<Integer>>() { });
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
            schemaBody(schema));
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(m -> messages.add(m.asText()));
        return new CompatibilityResult(answer.path("is_compatible").asBoolean(false), messages);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return level(send("GET", "/config", null));
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        send("PUT", "/config", JSON.createObjectNode().put("compatibility", level.name()));
    }

    @Override
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        try {
            return Optional.of(level(send("GET", "/config/" + encode(subject), null)));
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + encode(subject), JSON.createObjectNode().put("compatibility", level.name()));
    }

    @Override
    public List<Integer> deleteSubject(String subject) {
        return JSON.convertValue(send("DELETE", "/subjects/" + encode(subject), null),
            new TypeReference<List<Integer>>() { });
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21; its threads are daemons.
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + urls;
    }

    private JsonNode send(String method, String path, JsonNode body) {
        SchemaRegistryException unreachable = null;
        for (URI base : urls) {
            URI uri = URI.create(base + path);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            authorization.ifPresent(a -> request.header("Authorization", a));
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                String why = e instanceof ConnectException ? "connection refused" : e.toString();
                unreachable = new SchemaRegistryException("Schema registry at " + base + " could not be reached ("
                    + why + ")", e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while calling the schema registry at " + base, e);
            }
            return answer(method, base, path, response);
        }
        throw unreachable;
    }

    private static JsonNode answer(String method, URI base, String path, HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + base + " answered " + method + " " + path
                + " with HTTP " + response.statusCode() + " and a body that is not JSON", response.statusCode(), 0);
        }
        if (response.statusCode() / 100 == 2) {
            return json;
        }
        int errorCode = json.path("error_code").asInt(0);
        String message = json.path("message").asText(response.statusCode() == 401
            ? "authentication failed; check " + RegistryClientConfig.BASIC_AUTH_USER_INFO : "(no message)");
        throw new SchemaRegistryException("Schema registry at " + base + " refused " + method + " " + path + ": "
            + message + " (HTTP " + response.statusCode() + ", error_code " + errorCode + ")",
            response.statusCode(), errorCode);
    }

    private static RegisteredSchema registered(JsonNode answer) {
        String subject = answer.path("subject").asText();
        return new RegisteredSchema(subject, answer.path("version").asInt(), answer.path("id").asInt(),
            parse(answer.path("schema").asText(), subject));
    }

    private static CompatibilityLevel level(JsonNode answer) {
        String text = answer.hasNonNull("compatibilityLevel") ? answer.get("compatibilityLevel").asText()
            : answer.path("compatibility").asText();
        return CompatibilityLevel.parse(text).orElseThrow(() -> new SchemaRegistryException(
            "Schema registry answered an unknown compatibility level '" + text + "'", 200, 0));
    }

    private static JsonNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("Schema registry returned an unparseable Avro schema for " + what + ": "
                + e.getMessage(), 200, 0);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI baseUri(String url) {
        URI uri = URI.create(url.strip());
        String clean = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
            + (uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", ""));
        return URI.create(clean);
    }

    private static Optional<String> basicAuth(RegistryClientConfig config, URI firstUrl) {
        String userInfo;
        if ("USER_INFO".equals(config.getString(RegistryClientConfig.BASIC_AUTH_SOURCE))) {
            userInfo = RegistryClientConfig.reveal(config.getPassword(RegistryClientConfig.BASIC_AUTH_USER_INFO));
        } else {
            userInfo = URI.create(config.getList(RegistryClientConfig.URL).get(0).strip()).getRawUserInfo();
        }
        if (userInfo == null || userInfo.isEmpty()) {
            return Optional.empty();
        }
        String decoded = java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
    }

    private static Optional<SSLContext> sslContext(RegistryClientConfig config) {
        String trustLocation = config.getString(RegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
        String keyLocation = config.getString(RegistryClientConfig.SSL_KEYSTORE_LOCATION);
        if (trustLocation == null && keyLocation == null) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory tmf = null;
            if (trustLocation != null) {
                KeyStore trust = load(trustLocation, config.getString(RegistryClientConfig.SSL_TRUSTSTORE_TYPE),
                    RegistryClientConfig.reveal(config.getPassword(RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD)));
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (keyLocation != null) {
                String storePassword = RegistryClientConfig.reveal(
                    config.getPassword(RegistryClientConfig.SSL_KEYSTORE_PASSWORD));
                KeyStore keys = load(keyLocation, config.getString(RegistryClientConfig.SSL_KEYSTORE_TYPE), storePassword);
                String keyPassword = RegistryClientConfig.reveal(config.getPassword(RegistryClientConfig.SSL_KEY_PASSWORD));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, chars(keyPassword != null ? keyPassword : storePassword));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return Optional.of(ctx);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Could not set up TLS for the schema registry client: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String location, String type, String password)
        throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, chars(password));
        }
        return store;
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }
}
