package dev.turnout.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.turnout.app.http.Http;
import dev.turnout.app.http.PrometheusText;

/**
 * {@code turnout demo} as a user runs it: a process of its own, showing live capture and where its metrics and health
 * are served, then stopped with a signal (what Ctrl-C sends): it must exit and leave no listener and no PostgreSQL
 * process behind.
 */
class DemoProcessTest {

    @Test
    void demoShowsLiveCaptureAndLeavesNothingRunningWhenStopped() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx768m",
            "-cp", classpath, Main.class.getName(), "demo", "--write-interval", "20ms", "--service-bind", "127.0.0.1:0",
            "--dashboard-bind", "127.0.0.1:0");
        pb.redirectErrorStream(true);
        Process demo = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread pump = new Thread(() -> new BufferedReader(new InputStreamReader(demo.getInputStream(),
            StandardCharsets.UTF_8)).lines().forEach(lines::add));
        pump.setDaemon(true);
        pump.start();
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> lines.stream().anyMatch(l -> l.contains("Capturing live changes")));
            int kafkaPort = port(lines, "Kafka\\s+127\\.0\\.0\\.1:(\\d+)");
            int pgPort = port(lines, "source\\s+jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/chat");
            int servicePort = port(lines, "metrics\\s+http://127\\.0\\.0\\.1:(\\d+)/metrics");
            assertThat(lines).anyMatch(l -> l.matches("\\s+health\\s+http://127\\.0\\.0\\.1:" + servicePort
                + "/health/ready, http://127\\.0\\.0\\.1:" + servicePort + "/health/live"));
            URI service = URI.create("http://127.0.0.1:" + servicePort);
            int dashboardPort = port(lines, "dashboard\\s+http://127\\.0\\.0\\.1:(\\d+)/");
            URI dashboard = URI.create("http://127.0.0.1:" + dashboardPort);
            assertThat(Http.get(dashboard, "/").body()).contains("<title>Turnout");
            assertThat(Http.get(dashboard, "/api/overview").body()).contains("\"pipeline\":\"chat\"");
            // Without a terminal the status line is printed every 10 s; wait for one that shows captured events.
            await().atMost(Duration.ofMinutes(1)).until(() -> lines.stream()
                .anyMatch(l -> l.matches(".*events [1-9]\\d* .*")));
            assertThat(Http.get(service, "/health/ready").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PrometheusText.parse(
                Http.get(service, "/metrics").body()).value("turnout_capture_events_total", Map.of("pipeline", "chat")))
                .hasValueSatisfying(events -> assertThat(events).isPositive()));
            // pg_ctl detaches the postmaster from the demo's process tree; find it by its port.
            List<ProcessHandle> postmasters = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("bin/postgres") && c.contains("-p " + pgPort + " "))
                    .orElse(false))
                .toList();
            assertThat(postmasters).as("the demo's PostgreSQL server").hasSize(1);

            demo.destroy();
            assertThat(demo.waitFor(2, TimeUnit.MINUTES)).as("demo exits after the stop signal").isTrue();

            await().atMost(Duration.ofSeconds(30)).until(() -> postmasters.stream().noneMatch(ProcessHandle::isAlive));
            assertThatThrownBy(() -> new Socket("127.0.0.1", kafkaPort).close()).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> new Socket("127.0.0.1", pgPort).close()).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> new Socket("127.0.0.1", servicePort).close()).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> new Socket("127.0.0.1", dashboardPort).close()).isInstanceOf(ConnectException.class);
        } finally {
            demo.destroyForcibly();
        }
    }

    private static int port(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String line : lines) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no line matching " + regex + " in " + lines);
    }
}
