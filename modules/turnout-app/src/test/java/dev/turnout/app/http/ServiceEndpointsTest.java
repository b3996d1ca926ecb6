package dev.turnout.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.core.health.Part;
import dev.turnout.core.health.PartStatus;

/** The service port's HTTP behaviour, with health sources the test controls (no broker or database needed). */
class ServiceEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceEndpoints service;

    @BeforeEach
    void start() {
        service = ServiceEndpoints.start(new InetSocketAddress("127.0.0.1", 0), "unit");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void readyOnlyWhenEveryConfiguredPartRuns() throws Exception {
        assertThat(Http.get(service.url(), "/health/ready").statusCode()).as("no part configured yet").isEqualTo(503);

        AtomicReference<PartStatus> capture = new AtomicReference<>(PartStatus.running());
        service.parts().register(Part.CAPTURE, capture::get);
        service.parts().expect(Part.APPLY);
        HttpResponse<String> waitingForApply = Http.get(service.url(), "/health/ready");
        assertThat(waitingForApply.statusCode()).isEqualTo(503);
        assertThat(waitingForApply.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(waitingForApply.body());
        assertThat(body.get("ready").asBoolean()).isFalse();
        assertThat(body.get("parts")).hasSize(2);
        assertThat(body.at("/parts/0/part").asText()).isEqualTo("capture");
        assertThat(body.at("/parts/0/state").asText()).isEqualTo("RUNNING");
        assertThat(body.at("/parts/1/part").asText()).isEqualTo("apply");
        assertThat(body.at("/parts/1/state").asText()).isEqualTo("STARTING");

        service.parts().register(Part.APPLY, PartStatus::running);
        HttpResponse<String> allRunning = Http.get(service.url(), "/health/ready");
        assertThat(allRunning.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(allRunning.body()).get("ready").asBoolean()).isTrue();

        capture.set(PartStatus.stopped());
        assertThat(Http.get(service.url(), "/health/ready").statusCode()).isEqualTo(503);
        assertThat(Http.get(service.url(), "/health/live").statusCode()).as("stopped is not failed").isEqualTo(200);
    }

    @Test
    void notLiveOnceAPartFailedAndTheReasonNeverCarriesForeignMessages() throws Exception {
        AtomicReference<PartStatus> apply = new AtomicReference<>(PartStatus.running());
        service.parts().register(Part.APPLY, apply::get);
        assertThat(Http.get(service.url(), "/health/live").statusCode()).isEqualTo(200);

        // A driver's message may quote row values; only the exception's type may leave the process.
        apply.set(PartStatus.failed(new IllegalStateException("duplicate key: Key (email)=(ann@example.com) exists")));
        HttpResponse<String> live = Http.get(service.url(), "/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(live.body());
        assertThat(body.get("live").asBoolean()).isFalse();
        assertThat(body.at("/parts/0/state").asText()).isEqualTo("FAILED");
        assertThat(body.at("/parts/0/detail").asText())
            .isEqualTo("java.lang.IllegalStateException (details in the log)")
            .doesNotContain("ann@example.com");
    }

    @Test
    void aHealthSourceThatThrowsCountsAsFailed() throws Exception {
        service.parts().register(Part.RECONCILE, () -> {
            throw new IllegalStateException("broken");
        });
        assertThat(Http.get(service.url(), "/health/live").statusCode()).isEqualTo(503);
        assertThat(Http.get(service.url(), "/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void partUpGaugeFollowsEachPartsState() {
        AtomicReference<PartStatus> capture = new AtomicReference<>(PartStatus.running());
        service.parts().register(Part.CAPTURE, capture::get);
        service.parts().expect(Part.TRANSFORM);

        PrometheusText scrape = PrometheusText.parse(Http.get(service.url(), "/metrics").body());
        assertThat(scrape.types()).containsEntry("turnout_part_up", "gauge");
        assertThat(scrape.value("turnout_part_up", Map.of("part", "capture", "pipeline", "unit"))).hasValue(1.0);
        assertThat(scrape.value("turnout_part_up", Map.of("part", "transform"))).hasValue(0.0);

        capture.set(PartStatus.failed("Replication slot 'turnout_unit' was dropped"));
        PrometheusText after = PrometheusText.parse(Http.get(service.url(), "/metrics").body());
        assertThat(after.value("turnout_part_up", Map.of("part", "capture"))).hasValue(0.0);
    }

    @Test
    void metricsSpeakOpenMetricsWhenAskedAndTextOtherwise() {
        HttpResponse<String> text = Http.get(service.url(), "/metrics");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValue(MetricsHandler.TEXT_TYPE);
        assertThat(text.body()).contains("# TYPE jvm_memory_used_bytes gauge").doesNotContain("# EOF");

        HttpResponse<String> openMetrics = Http.get(service.url(), "/metrics",
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValue(MetricsHandler.OPENMETRICS_TYPE);
        assertThat(openMetrics.body()).contains("# TYPE jvm_memory_used_bytes gauge").endsWith("# EOF\n");
    }

    @Test
    void otherPathsAndMethodsAreRefused() {
        HttpResponse<String> unknown = Http.get(service.url(), "/dashboard");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("/metrics", "/health/live", "/health/ready");

        HttpResponse<String> post = Http.send(service.url(), "POST", "/health/ready");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

        HttpResponse<String> head = Http.send(service.url(), "HEAD", "/metrics");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aBusyAddressIsOneLineNamingItAndTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String bind = "127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> ServiceEndpoints.start(bind, "unit"))
                .isInstanceOf(ServiceBindException.class)
                .hasMessageStartingWith("Cannot serve /metrics and /health on " + bind + ": ")
                .hasMessageEndingWith("; choose a free host:port (service.bind; for the demo, --service-bind)");
        }
    }
}
