package dev.turnout.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.Secret;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import dev.turnout.core.health.Part;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.cutover.DualPublisher;
import dev.turnout.cutover.PublishMode;
import dev.turnout.testkit.Postgres;
import dev.turnout.testkit.SharedInfrastructure;

/**
 * Issue #9, "done when" 1 for capture: while capture runs against a real PostgreSQL and Kafka, {@code /metrics} shows
 * its metrics and the embedded registry's with non-zero values next to the JVM's, names follow Prometheus conventions
 * and the metric catalogue, and {@code /health/ready} turns 503 when capture stops.
 */
class CaptureServesMetricsAndHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void metricsShowCaptureAndJvmWhileCaptureRunsAndReadinessFlipsWhenCaptureStops() throws Exception {
        String pipeline = "ops_metrics_" + ProcessHandle.current().pid();
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase(pipeline);
        try (Connection c = pg.connect(pipeline); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            st.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 3) g");
        }
        String bootstrap = SharedInfrastructure.kafka().bootstrap();
        try (ServiceEndpoints service = ServiceEndpoints.start(new InetSocketAddress("127.0.0.1", 0), pipeline);
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.Settings.of(bootstrap),
                 service.meters())) {
            URI url = service.url();
            service.parts().expect(Part.CAPTURE);
            assertThat(Http.get(url, "/health/ready").statusCode()).as("capture not started yet").isEqualTo(503);

            try (CaptureEngine capture = CaptureEngine.start(new CaptureSettings(pipeline, pg.jdbcUrl(pipeline),
                Postgres.USER, Secret.of(""), List.of(TableId.parse("public.items")), SnapshotMode.INITIAL, bootstrap,
                Map.of(), registry.url(), 1, Duration.ofSeconds(1), List.of(), "outbox.{aggregateType}"),
                service.meters())) {
                service.parts().register(Part.CAPTURE, capture);
                assertThat(Http.get(url, "/health/ready").statusCode()).isEqualTo(200);

                assertThat(capture.awaitStreaming(Duration.ofMinutes(1))).isTrue();
                try (Connection c = pg.connect(pipeline); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(4, 10) g");
                }
                Map<String, String> slot = Map.of("slot", TopicNames.slot(pipeline));
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    PrometheusText scrape = PrometheusText.parse(Http.get(url, "/metrics").body());
                    // 3 snapshot rows and 7 inserts, plus transaction markers and heartbeats.
                    assertThat(scrape.value("turnout_capture_events_total", Map.of())).hasValueSatisfying(
                        v -> assertThat(v).isGreaterThanOrEqualTo(10.0));
                    assertThat(scrape.value("turnout_capture_transactions_total", Map.of())).hasValueSatisfying(
                        v -> assertThat(v).isPositive());
                    assertThat(scrape.value("turnout_capture_snapshot_rows", Map.of())).hasValue(3.0);
                    assertThat(scrape.value("turnout_capture_source_lag_seconds", Map.of())).hasValueSatisfying(
                        v -> assertThat(v).isPositive());
                    assertThat(scrape.value("turnout_capture_slot_active", slot)).hasValue(1.0);
                    assertThat(scrape.value("turnout_capture_slot_retained_wal_bytes", slot)).hasValueSatisfying(
                        v -> assertThat(v).isPositive());
                    assertThat(scrape.value("turnout_part_up", Map.of("part", "capture"))).hasValue(1.0);
                    // Capture registered its key and value schemas with the embedded registry.
                    assertThat(scrape.value("turnout_registry_schemas", Map.of())).hasValueSatisfying(
                        v -> assertThat(v).isGreaterThanOrEqualTo(2.0));
                    assertThat(scrape.value("turnout_registry_requests_seconds_count",
                        Map.of("method", "POST", "outcome", "success"))).hasValueSatisfying(
                        v -> assertThat(v).isPositive());
                });

                // The GC binder counts allocation at collections, from GC notifications that arrive on another thread
                // after the collection: a test JVM may not have had one yet, and the count may lag System.gc().
                System.gc();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sum(PrometheusText.parse(
                    Http.get(url, "/metrics").body()), "jvm_gc_memory_allocated_bytes_total")).isPositive());
                PrometheusText scrape = PrometheusText.parse(Http.get(url, "/metrics").body());
                assertThat(sum(scrape, "jvm_memory_used_bytes")).isPositive();
                assertThat(sum(scrape, "jvm_gc_memory_allocated_bytes_total")).isPositive();
                assertThat(sum(scrape, "jvm_threads_live_threads")).isPositive();
                assertThat(sum(scrape, "jvm_classes_loaded_classes")).isPositive();
                assertThat(sum(scrape, "system_cpu_count")).isPositive();
                assertThat(sum(scrape, "process_uptime_seconds")).isPositive();
                assertThat(sum(scrape, "process_files_open_files")).isPositive();
                DeclaredMetrics.assertConventionsAndCatalogue(scrape, pipeline);
                DeclaredMetrics.assertAllDeclaredFor("capture", scrape);
                DeclaredMetrics.assertAllDeclaredFor("registry", scrape);

                pg.dropReplicationSlots(TopicNames.slot(pipeline));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Http.get(url, "/health/ready").statusCode()).isEqualTo(503));
                var ready = Http.get(url, "/health/ready");
                JsonNode body = JSON.readTree(ready.body());
                assertThat(body.at("/parts/0/part").asText()).isEqualTo("capture");
                assertThat(body.at("/parts/0/state").asText()).isEqualTo("FAILED");
                assertThat(body.at("/parts/0/detail").asText())
                    .contains("Replication slot '" + TopicNames.slot(pipeline) + "' was dropped");
                assertThat(Http.get(url, "/health/live").statusCode()).isEqualTo(503);
                assertThat(PrometheusText.parse(Http.get(url, "/metrics").body())
                    .value("turnout_part_up", Map.of("part", "capture"))).hasValue(0.0);
            }
        }
    }

    @Test
    void dualPublisherMetricsFollowTheCatalogue(@TempDir Path journal) {
        String bootstrap = SharedInfrastructure.kafka().bootstrap();
        try (ServiceEndpoints service = ServiceEndpoints.start(new InetSocketAddress("127.0.0.1", 0), "ops_publisher");
             DualPublisher<String, String> publisher = DualPublisher.builder(new StringSerializer(), new StringSerializer())
                 .name("orders-service")
                 .primary(Map.of("bootstrap.servers", bootstrap))
                 .secondary(Map.of("bootstrap.servers", bootstrap))
                 .journal(journal)
                 .mode(PublishMode.PRIMARY_ONLY)
                 .meterRegistry(service.meters())
                 .build()) {
            PrometheusText scrape = PrometheusText.parse(Http.get(service.url(), "/metrics").body());
            DeclaredMetrics.assertConventionsAndCatalogue(scrape, "ops_publisher");
            DeclaredMetrics.assertAllDeclaredFor("DualPublisher", scrape);
        }
    }

    private static double sum(PrometheusText scrape, String name) {
        assertThat(scrape.samples(name)).as(name).isNotEmpty();
        return scrape.samples(name).stream().mapToDouble(PrometheusText.Sample::value).sum();
    }
}
