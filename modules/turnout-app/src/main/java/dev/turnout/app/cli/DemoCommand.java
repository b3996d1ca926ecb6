package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.turnout.app.demo.ChatWorkload;
import dev.turnout.app.dashboard.Dashboard;
import dev.turnout.app.dashboard.DashboardSource;
import dev.turnout.app.http.ServiceAddress;
import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.Secret;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.Postgres;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout demo}: the embedded default. Starts a Kafka broker and a PostgreSQL server in this process (loopback
 * only), a chat application writing live, the schema registry and capture, and shows progress until Ctrl-C, which
 * stops and removes everything it started.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline on embedded Kafka and PostgreSQL with a live sample application, until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    static final String PIPELINE = "chat";

    @Option(names = "--write-interval", defaultValue = "50ms", paramLabel = "DURATION",
        description = "Pause between the sample application's transactions. Default: ${DEFAULT-VALUE}.",
        converter = DurationConverter.class)
    Duration writeInterval;

    @Option(names = "--service-bind", defaultValue = "127.0.0.1:9464", paramLabel = "HOST:PORT",
        description = "Where to serve /metrics and /health; port 0 picks a free port. Default: ${DEFAULT-VALUE}.")
    String serviceBind;

    @Option(names = "--dashboard-bind", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
        description = "Where to serve the reconciliation dashboard (loopback only: the demo sets no token); port 0 picks "
            + "a free port. Default: ${DEFAULT-VALUE}.")
    String dashboardBind;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("turnout demo: starting embedded Kafka and PostgreSQL (loopback only)...");
        out.flush();
        StatusLine status = new StatusLine(out);
        try (StopSignal stop = new StopSignal("turnout-demo");
             ServiceEndpoints service = ServiceEndpoints.start(bindAddress(), PIPELINE);
             KafkaCluster kafka = KafkaCluster.builder().name("demo").start();
             Postgres source = Postgres.start(Map.of(), false)) {
            source.createDatabase("chat");
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
                     EmbeddedSchemaRegistry.Settings.of(kafka.bootstrap()), service.meters());
                 ChatWorkload workload = ChatWorkload.start(source.jdbcUrl("chat"), Postgres.USER, writeInterval);
                 CaptureEngine capture = CaptureCommand.startCapture(service, new CaptureSettings(PIPELINE,
                     source.jdbcUrl("chat"), Postgres.USER, Secret.of(""), ChatWorkload.TABLES, SnapshotMode.INITIAL,
                     kafka.bootstrap(), Map.of(), registry.url(), 3, Duration.ofSeconds(5), List.of(),
                     "outbox.{aggregateType}"));
                 Dashboard dashboard = Dashboard.start(dashboardBind, Optional.empty(), new DashboardSource(PIPELINE,
                     kafka.bootstrap(), Map.of(), registry.url(), Duration.ofSeconds(30)))) {
                out.println("  Kafka            " + kafka.bootstrap());
                out.println("  source           " + source.jdbcUrl("chat") + " (user " + Postgres.USER + ")");
                out.println("  schema registry  " + registry.url());
                out.println("  CDC topics       " + String.join(", ", ChatWorkload.TABLES.stream()
                    .map(t -> TopicNames.cdc(PIPELINE, t)).toList()));
                out.println("  dashboard        " + dashboard.url());
                out.println("  metrics          " + service.url() + "/metrics");
                out.println("  health           " + service.url() + "/health/ready, " + service.url() + "/health/live");
                out.println("Capturing live changes; Ctrl-C stops everything.");
                out.flush();
                while (capture.isRunning() && !stop.awaitRequest(Duration.ofSeconds(1))) {
                    status.show("app tx " + workload.transactions() + " | " + capture.status().line());
                }
                status.finish();
                if (capture.failure().isPresent()) {
                    throw new CaptureCommand.CaptureStoppedException(capture.failure().get());
                }
            }
            out.println("turnout demo: stopping...");
            out.flush();
        }
        out.println("turnout demo: stopped; nothing left running.");
        out.flush();
        return ExitCode.OK;
    }

    private InetSocketAddress bindAddress() {
        try {
            return ServiceAddress.parse(serviceBind);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--service-bind: expected host:port, got '" + serviceBind + "'");
        }
    }
}
