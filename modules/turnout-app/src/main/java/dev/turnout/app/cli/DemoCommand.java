package dev.turnout.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.app.dashboard.Dashboard;
import dev.turnout.app.demo.ChatWorkload;
import dev.turnout.app.http.ServiceAddress;
import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.apply.ApplierSettings;
import dev.turnout.apply.SchemaPlan;
import dev.turnout.apply.TargetSchemaPlanner;
import dev.turnout.apply.TargetTableDefinition;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.reconcile.ReconcileSettings;
import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.Postgres;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.stream.TransformSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout demo}: the embedded default, the whole replication path in one process. Starts a Kafka broker and a
 * PostgreSQL server (loopback only) holding a source database and a separate target database, a chat application
 * writing the source live, the schema registry; writes a pipeline config whose mapping turns {@code users} into
 * {@code accounts} with a derived {@code name}; runs {@code schema apply} on the target; then capture, transform and
 * apply, showing rows captured, applied and the lag until Ctrl-C, which stops and removes everything it started
 * (servers, data directories, the transform's state).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Replicate a live sample application from an embedded PostgreSQL source database to a target database "
        + "through embedded Kafka (capture, transform, apply), until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    static final String PIPELINE = "chat";
    static final String SOURCE_DATABASE = "chat";
    static final String TARGET_DATABASE = "chat_target";

    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

    /** The README's example: {@code name} is {@code display_name}, or the part of {@code email} before '@'. */
    private static final String CONFIG = """
        pipeline: %s
        kafka:
          bootstrap: %s
        schemaRegistry:
          url: %s
        source:
          url: %s
          user: %s
          tables: [public.users, public.conversations, public.messages]
        target:
          url: %s
          user: %s
        mode: replicate
        mappings:
          - from: public.users
            to: public.accounts
            key: [id]
            columns:
              id: row.id
              email: row.email
              name: "!isBlank(row.display_name) ? row.display_name : part(row.email, '@', 0)"
              created_at: row.created_at
        capture:
          partitions: 3
          heartbeat: 5s
        service:
          bind: %s
        """;

    @Option(names = "--write-interval", defaultValue = "50ms", paramLabel = "DURATION",
        description = "Pause between the sample application's transactions. Default: ${DEFAULT-VALUE}.",
        converter = DurationConverter.class)
    Duration writeInterval;

    @Option(names = "--dashboard-bind", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
        description = "Where to serve the reconciliation dashboard (loopback only: the demo sets no token); port 0 picks "
            + "a free port. Default: ${DEFAULT-VALUE}.")
    String dashboardBind;

    @Option(names = "--service-bind", defaultValue = "127.0.0.1:9464", paramLabel = "HOST:PORT",
        description = "Where to serve /metrics and /health; port 0 picks a free port. Default: ${DEFAULT-VALUE}.")
    String serviceBind;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("turnout demo: starting embedded Kafka and PostgreSQL (loopback only)...");
        out.flush();
        StatusLine status = new StatusLine(out);
        Path work = Files.createTempDirectory("turnout-demo-");
        try (StopSignal stop = new StopSignal("turnout-demo");
             ServiceEndpoints service = ServiceEndpoints.start(bindAddress(), PIPELINE);
             KafkaCluster kafka = KafkaCluster.builder().name("demo").start();
             Postgres pg = Postgres.start(Map.of(), false)) {
            pg.createDatabase(SOURCE_DATABASE);
            pg.createDatabase(TARGET_DATABASE);
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
                     EmbeddedSchemaRegistry.Settings.of(kafka.bootstrap()), service.meters());
                 ChatWorkload workload = ChatWorkload.start(pg.jdbcUrl(SOURCE_DATABASE), Postgres.USER, writeInterval)) {
                Path configFile = Files.writeString(work.resolve("turnout.yaml"), CONFIG.formatted(PIPELINE,
                    kafka.bootstrap(), registry.url(), pg.jdbcUrl(SOURCE_DATABASE), Postgres.USER,
                    pg.jdbcUrl(TARGET_DATABASE), Postgres.USER, service.url().getAuthority()));
                LoadedConfig loaded = ConfigLoader.load(configFile);
                TurnoutConfig cfg = loaded.config();
                List<TargetTableDefinition> tables = createTargetTables(loaded);
                Mappings mappings = PipelineParts.mappings(loaded);
                List<Pipeline.Step> steps = List.of(
                    PipelineParts.capture(CaptureSettings.from(cfg, registry.url()), service.meters()),
                    PipelineParts.transform(TransformSettings.from(cfg, registry.url())
                        .withStateDir(work.resolve("streams")), mappings, service.meters()),
                    PipelineParts.apply(ApplierSettings.from(cfg, registry.url()), service.meters()),
                    PipelineParts.reconcile(ReconcileSettings.from(cfg, registry.url())
                        .withStateDir(work.resolve("streams")), mappings, service.meters()));
                try (Pipeline pipeline = Pipeline.start(service.parts(), steps);
                     Dashboard dashboard = Dashboard.start(dashboardBind, Optional.empty(), cfg, registry.url())) {
                    out.println("  Kafka            " + kafka.bootstrap());
                    out.println("  source           " + pg.jdbcUrl(SOURCE_DATABASE) + " (user " + Postgres.USER + ")");
                    out.println("  target           " + pg.jdbcUrl(TARGET_DATABASE) + " (user " + Postgres.USER + ")");
                    out.println("  target tables    " + String.join(", ",
                        tables.stream().map(t -> t.table().toString()).toList()) + " (made by schema apply)");
                    out.println("  mapping          public.users -> public.accounts, name = display_name, or email "
                        + "before '@'");
                    out.println("  schema registry  " + registry.url());
                    out.println("  config           " + configFile);
                    out.println("  dashboard        " + dashboard.url());
                    out.println("  metrics          " + service.url() + "/metrics");
                    out.println("  health           " + service.url() + "/health/ready, " + service.url()
                        + "/health/live");
                    out.println("Replicating live changes from source to target; Ctrl-C stops everything.");
                    out.flush();
                    PipelineStatus line = new PipelineStatus(service.meters());
                    try {
                        pipeline.runUntilStopped(stop, () -> status.show("app tx " + workload.transactions() + " | "
                            + line.line()));
                    } finally {
                        status.finish();
                    }
                }
            }
            out.println("turnout demo: stopping...");
            out.flush();
        } finally {
            deleteRecursively(work);
        }
        out.println("turnout demo: stopped; nothing left running.");
        out.flush();
        return ExitCode.OK;
    }

    /** What {@code turnout schema apply --execute} does, on the demo's fresh target database. */
    private static List<TargetTableDefinition> createTargetTables(LoadedConfig loaded) throws Exception {
        List<TargetTableDefinition> tables = SchemaApplyCommand.targetTables(loaded);
        TurnoutConfig cfg = loaded.config();
        try (Connection target = DatabaseConnections.open("target", cfg.target().url(), cfg.target().user(),
            cfg.target().password())) {
            SchemaPlan plan = TargetSchemaPlanner.plan(target, tables);
            if (!plan.problems().isEmpty()) {
                throw new IllegalStateException("The demo's target database cannot hold the mappings' output: "
                    + plan.problems());
            }
            TargetSchemaPlanner.execute(target, plan);
        }
        return tables;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove the demo's working directory {}: {}", dir, e.getMessage());
        }
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
