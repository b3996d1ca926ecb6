package dev.turnout.app.dashboard;

import static dev.turnout.app.dashboard.PlantedReconcileTopics.diff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.turnout.app.http.Http;
import dev.turnout.schemas.reconcile.KeyStatus;

/** The dashboard's JSON endpoints, from records planted in real reconcile topics. */
class DashboardApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNTS = "public.accounts";
    private static final String ORDERS = "public.orders";

    static PlantedReconcileTopics topics;
    static Dashboard dashboard;

    @BeforeAll
    static void plant() {
        topics = new PlantedReconcileTopics("dash_api");
        topics.createTable(ACCOUNTS);
        topics.createTable(ORDERS);
        topics.status(ACCOUNTS, 1, KeyStatus.MATCH);
        topics.status(ACCOUNTS, 2, KeyStatus.MISMATCH, diff("email", "a@example.com", "b@example.com"),
            diff("name", "Ann", null));
        topics.status(ACCOUNTS, 3, KeyStatus.MISSING);
        topics.status(ACCOUNTS, 4, KeyStatus.EXTRA);
        topics.status(ACCOUNTS, 5, KeyStatus.PENDING, diff("email", "c@example.com", "d@example.com"));
        topics.status(ACCOUNTS, 6, KeyStatus.MISMATCH, diff("email", "e@example.com", "f@example.com"));
        topics.tombstone(ACCOUNTS, 6);
        topics.status(ACCOUNTS, 11, KeyStatus.MISMATCH, diff("email", "x", "y"));
        topics.status(ACCOUNTS, 11, KeyStatus.MATCH);
        topics.status(ORDERS, 7, KeyStatus.MISMATCH, diff("total", "10.50", "10.5"));
        topics.summary(ACCOUNTS, 2, 1, 1, 1, 1, 95_000L, 0x16_0000_0500L);
        dashboard = Dashboard.start("127.0.0.1:0", Optional.empty(),
            DashboardSource.of(topics.config(), PlantedReconcileTopics.registryUrl()), Duration.ofMillis(100));
        await().atMost(Duration.ofMinutes(1)).until(() -> get("/api/overview").path("reader").path("state").asText(),
            "live"::equals);
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    void overviewCountsEachTableFromItsSummaryOrItsKeys() {
        JsonNode tables = get("/api/overview").path("tables");
        assertThat(tables.findValuesAsText("table")).containsExactly(ACCOUNTS, ORDERS);
        JsonNode accounts = tables.get(0);
        assertThat(accounts.path("counts").path("MISMATCH").asLong()).isEqualTo(1);
        assertThat(accounts.path("counts").path("MATCH").asLong()).isEqualTo(2);
        assertThat(accounts.path("sourceLsn").asText()).isEqualTo("16/500");
        assertThat(accounts.path("oldestUnresolvedAgeMs").asLong()).isGreaterThanOrEqualTo(95_000L);
        // No summary for orders yet: counted from its keys.
        JsonNode orders = tables.get(1);
        assertThat(orders.path("counts").path("MISMATCH").asLong()).isEqualTo(1);
        assertThat(orders.path("sourceLsn").isNull()).isTrue();
    }

    @Test
    void trendSamplesTheCountsOverTime() {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/overview").path("tables").get(0).path("trend").size(),
            n -> n >= 3);
        JsonNode trend = get("/api/overview").path("tables").get(0).path("trend");
        JsonNode last = trend.get(trend.size() - 1);
        assertThat(last.path("MISMATCH").asLong()).isEqualTo(1);
        assertThat(last.path("at").asLong()).isPositive();
    }

    @Test
    void keysListsTheOpenKeysWorstFirstWithoutTombstonedOrConvergedOnes() {
        JsonNode page = get("/api/keys?table=" + ACCOUNTS);
        assertThat(page.path("total").asInt()).isEqualTo(4);
        assertThat(page.path("keys").findValuesAsText("key")).containsExactly("id=2", "id=3", "id=4", "id=5");
        assertThat(page.path("keys").findValuesAsText("status"))
            .containsExactly("MISMATCH", "MISSING", "EXTRA", "PENDING");
        JsonNode mismatch = page.path("keys").get(0);
        assertThat(mismatch.path("differences").findValuesAsText("field")).containsExactly("email", "name");
        assertThat(mismatch.path("differences").get(0).path("expected").asText()).isEqualTo("a@example.com");
        assertThat(mismatch.path("differences").get(0).path("actual").asText()).isEqualTo("b@example.com");
        assertThat(mismatch.path("differences").get(1).path("actual").isNull()).isTrue();
        assertThat(mismatch.path("sourceLsn").asText()).isEqualTo("16/200");
    }

    @Test
    void keysFiltersByStatusAndPages() {
        // Same status: the oldest difference first (id=7 was planted as first seen 5 s before id=2).
        assertThat(get("/api/keys?status=mismatch").path("keys").findValuesAsText("key")).containsExactly("id=7", "id=2");
        JsonNode page = get("/api/keys?table=" + ACCOUNTS + "&offset=1&limit=2");
        assertThat(page.path("total").asInt()).isEqualTo(4);
        assertThat(page.path("keys").findValuesAsText("key")).containsExactly("id=3", "id=4");
    }

    @Test
    void searchFindsKeysOfEveryStatusByText() {
        JsonNode page = get("/api/keys?q=ID%3D1");
        assertThat(page.path("keys").findValuesAsText("key")).containsExactlyInAnyOrder("id=1", "id=11");
        assertThat(page.path("keys").findValuesAsText("status")).containsOnly("MATCH");
    }

    @Test
    void aBadParameterIsA400NamingIt() {
        HttpResponse<String> r = Http.get(dashboard.url(), "/api/keys?status=BROKEN");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("status must be one of").contains("BROKEN");
        assertThat(Http.get(dashboard.url(), "/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void thePageAndItsAssetsAreServedWithAPolicyThatRunsOnlyTheirOwnScript() {
        HttpResponse<String> page = Http.get(dashboard.url(), "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"/assets/app.js\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
            .contains("script-src 'self'").doesNotContain("unsafe-inline");
        for (String asset : List.of("/assets/app.js", "/assets/app.css", "/assets/icon.svg")) {
            assertThat(Http.get(dashboard.url(), asset).statusCode()).as(asset).isEqualTo(200);
        }
    }

    static JsonNode get(String path) {
        HttpResponse<String> r = Http.get(dashboard.url(), path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static URI url() {
        return dashboard.url();
    }
}
