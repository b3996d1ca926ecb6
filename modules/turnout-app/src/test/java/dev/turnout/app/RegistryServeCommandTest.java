package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.turnout.app.cli.TurnoutCommand;
import dev.turnout.testkit.SharedInfrastructure;

class RegistryServeCommandTest {

    @Test
    void servesTheRegistryApiUntilInterruptedThenExitsZero() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(TurnoutCommand.execute(new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true), "registry", "serve", "--bootstrap",
            SharedInfrastructure.kafka().bootstrap(), "--port", "0", "--topic", "_schemas_cli_test")));
        serve.start();
        Pattern listening = Pattern.compile("listening at (http://127\\.0\\.0\\.1:\\d+)");
        await().atMost(Duration.ofMinutes(1)).until(() -> listening.matcher(out.toString()).find());
        Matcher m = listening.matcher(out.toString());
        assertThat(m.find()).isTrue();

        HttpResponse<String> subjects = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(m.group(1) + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.body()).isEqualTo("[]");

        serve.interrupt();
        serve.join(Duration.ofSeconds(30).toMillis());
        assertThat(serve.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }
}
