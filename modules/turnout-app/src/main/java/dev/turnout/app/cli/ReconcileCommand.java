package dev.turnout.app.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.reconcile.ReconcileService;
import dev.turnout.schemas.reconcile.ReconcileSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnout reconcile -c FILE}: captures the target and reconciles it with the apply topics, key by key, until
 * Ctrl-C, with a one-line live status (keys per status over all tables, oldest unresolved difference). Exits 3 when
 * reconciliation stops on its own, with the reason.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Capture the target and compare it, key by key, with what the transform expects, until Ctrl-C; "
        + "per-key status and per-table summaries go to compacted topics.")
final class ReconcileCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded = config.load();
        StatusLine status = new StatusLine(spec.commandLine().getErr());
        try (StopSignal stop = new StopSignal("turnout-reconcile");
             SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(loaded.config());
             ReconcileService reconcile = ReconcileService.create(loaded, SourceMappings.compile(loaded),
                 registry.url(), new SimpleMeterRegistry())) {
            reconcile.start();
            while (reconcile.failure().isEmpty() && !stop.awaitRequest(Duration.ofSeconds(1))) {
                status.show(line(reconcile));
            }
            status.finish();
            if (reconcile.failure().isPresent()) {
                throw reconcile.failure().get();
            }
        }
        return ExitCode.OK;
    }

    private static String line(ReconcileService reconcile) {
        long[] counts = new long[5];
        long oldest = -1;
        for (TableId table : reconcile.tables()) {
            ReconcileSummary s = reconcile.summary(table).orElse(null);
            if (s == null) {
                continue;
            }
            counts[0] += s.getMatch();
            counts[1] += s.getPending();
            counts[2] += s.getMismatch();
            counts[3] += s.getMissing();
            counts[4] += s.getExtra();
            if (s.getOldestUnresolvedAgeMs() != null) {
                oldest = Math.max(oldest, s.getOldestUnresolvedAgeMs());
            }
        }
        String capture = reconcile.targetCaptureStatus().map(c -> String.format(Locale.ROOT, "%d target changes",
            c.events())).orElse("-");
        return String.format(Locale.ROOT, "match %d | pending %d | mismatch %d | missing %d | extra %d | oldest "
            + "unresolved %s | %s", counts[0], counts[1], counts[2], counts[3], counts[4],
            oldest < 0 ? "-" : oldest / 1000 + " s", capture);
    }
}
