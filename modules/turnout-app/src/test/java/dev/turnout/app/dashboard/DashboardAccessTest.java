package dev.turnout.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.app.cli.ExitCode;
import dev.turnout.app.cli.TurnoutCommand;

/** Who may see the dashboard: a token is required off loopback, and once given every request must carry it. */
class DashboardAccessTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aBindOtherHostsCanReachIsRefusedWithoutAToken() {
        assertThatThrownBy(() -> Dashboard.checkAccess("0.0.0.0:8080", Optional.empty()))
            .isInstanceOf(DashboardAccessException.class)
            .hasMessageContaining("0.0.0.0:8080").hasMessageContaining("--token");
        assertThatThrownBy(() -> Dashboard.checkAccess("127.0.0.1:8080", Optional.of("  ")))
            .isInstanceOf(DashboardAccessException.class).hasMessageContaining("blank");
        Dashboard.checkAccess("127.0.0.1:8080", Optional.empty());
        Dashboard.checkAccess("0.0.0.0:8080", Optional.of("s3cret-token"));
    }

    @Test
    void theVerbExitsWithAUsageErrorBeforeStartingAnything() throws IOException {
        Path config = dir.resolve("turnout.yaml");
        Files.writeString(config, """
            pipeline: shop
            kafka:
              bootstrap: 127.0.0.1:1
            source:
              url: jdbc:postgresql://127.0.0.1:1/app
              user: postgres
              tables: [public.users]
            target:
              url: jdbc:postgresql://127.0.0.1:1/app
              user: postgres
            dashboard:
              bind: 0.0.0.0:18080
            """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TurnoutCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true),
            "dashboard", "-c", config.toString());
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString().strip())
            .startsWith("turnout dashboard: The dashboard shows row values and 0.0.0.0:18080 (dashboard.bind)")
            .contains("--token")
            .doesNotContain("Exception").doesNotContain("\n");
    }

    @Test
    void withATokenEveryRequestMustCarryItAndTheAddressTokenBecomesACookie() {
        try (PlantedReconcileTopics topics = new PlantedReconcileTopics("dash_token");
             Dashboard dashboard = Dashboard.start("127.0.0.1:0", Optional.of("s3cret-token"), topics.config(),
                 PlantedReconcileTopics.registryUrl())) {
            String base = dashboard.url().toString();

            assertThat(send(HttpRequest.newBuilder(java.net.URI.create(base + "api/overview"))).statusCode()).isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(java.net.URI.create(base)))).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.body()).contains("needs its token");
            });
            assertThat(send(HttpRequest.newBuilder(java.net.URI.create(base + "api/overview"))
                .header("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(java.net.URI.create(base + "api/overview"))
                .header("Authorization", "Bearer s3cret-token")).statusCode()).isEqualTo(200);

            HttpResponse<String> opened = send(HttpRequest.newBuilder(java.net.URI.create(base + "?token=s3cret-token")));
            assertThat(opened.statusCode()).isEqualTo(303);
            assertThat(opened.headers().firstValue("Location")).contains("/");
            String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith(TokenFilter.COOKIE + "=s3cret-token;").contains("HttpOnly")
                .contains("SameSite=Strict");

            HttpResponse<String> page = send(HttpRequest.newBuilder(java.net.URI.create(base))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Turnout");
            assertThat(send(HttpRequest.newBuilder(java.net.URI.create(base + "api/keys"))
                .header("Cookie", TokenFilter.COOKIE + "=nope")).statusCode()).isEqualTo(401);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
