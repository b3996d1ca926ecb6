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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@code turnout demo} as a user runs it: a process of its own, replicating a live application from its source
 * database to its target database (a row written to the source appears in the target, mapped), showing where its
 * metrics and health are served, then stopped with a signal (what Ctrl-C sends): it must exit and leave no listener and no PostgreSQL
 * process behind.
 */
class DemoProcessTest {

    @Test
    void demoReplicatesSourceToTargetLiveAndLeavesNothingRunningWhenStopped() throws Exception {
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
            await().atMost(Duration.ofMinutes(3)).until(() -> lines.stream()
                .anyMatch(l -> l.contains("Replicating live changes") || l.startsWith("turnout demo: ")
                    && !l.startsWith("turnout demo: starting")));
            assertThat(lines).anyMatch(l -> l.contains("Replicating live changes"));
            int kafkaPort = port(lines, "Kafka\\s+127\\.0\\.0\\.1:(\\d+)");
            int pgPort = port(lines, "source\\s+jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/chat ");
            assertThat(port(lines, "target\\s+jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/chat_target "))
                .as("source and target databases on the demo's server").isEqualTo(pgPort);
            int servicePort = port(lines, "metrics\\s+http://127\\.0\\.0\\.1:(\\d+)/metrics");
            assertThat(lines).anyMatch(l -> l.matches("\\s+health\\s+http://127\\.0\\.0\\.1:" + servicePort
                + "/health/ready, http://127\\.0\\.0\\.1:" + servicePort + "/health/live"));
            URI service = URI.create("http://127.0.0.1:" + servicePort);
            int dashboardPort = port(lines, "dashboard\\s+http://127\\.0\\.0\\.1:(\\d+)/");
            URI dashboard = URI.create("http://127.0.0.1:" + dashboardPort);
            assertThat(Http.get(dashboard, "/").body()).contains("<title>Turnout");
            assertThat(Http.get(dashboard, "/api/overview").body()).contains("\"pipeline\":\"chat\"");
            // Without a terminal the status line is printed every 10 s; wait for one that shows rows applied.
            await().atMost(Duration.ofMinutes(1)).until(() -> lines.stream()
                .anyMatch(l -> l.matches(".*captured [1-9]\\d* .*applied [1-9]\\d* \\| lag \\d+ records, .*")));
            assertThat(Http.get(service, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(Http.get(service, "/health/ready").body()).contains("\"part\":\"capture\",\"state\":\"RUNNING\"",
                "\"part\":\"transform\",\"state\":\"RUNNING\"", "\"part\":\"apply\",\"state\":\"RUNNING\"",
                "\"part\":\"reconcile\",\"state\":\"RUNNING\"");
            // Reconciliation runs too: the dashboard shows matching keys of the replicated tables.
            await().atMost(Duration.ofMinutes(1)).until(() -> Http.get(dashboard, "/api/overview").body()
                .matches("(?s).*\"MATCH\":[1-9].*"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PrometheusText scrape = PrometheusText.parse(Http.get(service, "/metrics").body());
                assertThat(scrape.value("turnout_capture_events_total", Map.of("pipeline", "chat")))
                    .hasValueSatisfying(events -> assertThat(events).isPositive());
                assertThat(scrape.value("turnout_apply_rows_total", Map.of("table", "public.messages", "op", "upsert",
                    "outcome", "written"))).hasValueSatisfying(rows -> assertThat(rows).isPositive());
            });

            // A user written to the source now reaches the target through the mapping: no display name, so the
            // name is the part of the email before '@'.
            String source = "jdbc:postgresql://127.0.0.1:" + pgPort + "/chat";
            String target = "jdbc:postgresql://127.0.0.1:" + pgPort + "/chat_target";
            try (Connection c = DriverManager.getConnection(source, "postgres", ""); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO users (email, display_name) VALUES ('probe.demo@example.com', NULL)");
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> query(target,
                "SELECT name FROM accounts WHERE email = 'probe.demo@example.com'").equals(List.of("probe.demo")));
            assertThat(query(target, "SELECT count(*) FROM messages").get(0)).isNotEqualTo("0");

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
        } catch (AssertionError | RuntimeException e) {
            // The demo's own output says why it stopped answering; without it a failure here names only a port.
            System.err.println("turnout demo printed:\n" + String.join("\n", lines));
            throw e;
        } finally {
            demo.destroyForcibly();
        }
    }

    private static List<String> query(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement();
             ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
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
