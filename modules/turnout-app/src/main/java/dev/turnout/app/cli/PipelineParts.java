package dev.turnout.app.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import dev.turnout.app.dashboard.Dashboard;
import dev.turnout.apply.Applier;
import dev.turnout.apply.ApplierSettings;
import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.health.Part;
import dev.turnout.reconcile.ReconcileService;
import dev.turnout.reconcile.ReconcileSettings;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.stream.TransformService;
import dev.turnout.transform.stream.TransformSettings;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The {@link Pipeline.Step steps} the pipeline verbs ({@code apply}, {@code run}, {@code demo}) are made of, and the
 * mappings they share. Each step's part publishes its meters into the process's registry. Stateless.
 */
final class PipelineParts {

    private PipelineParts() {
    }

    /**
     * The config's mappings compiled against the source catalog.
     *
     * @throws dev.turnout.core.config.ConfigException every mapping problem, located in the config file
     * @throws DatabaseConnections.UnreachableDatabaseException naming the source when it cannot be reached
     */
    static Mappings mappings(LoadedConfig loaded) throws SQLException {
        TurnoutConfig cfg = loaded.config();
        try (Connection source = DatabaseConnections.open("source", cfg.source().url(), cfg.source().user(),
            cfg.source().password())) {
            return Mappings.compile(loaded, new CatalogReader(source));
        }
    }

    static Pipeline.Step capture(CaptureSettings settings, MeterRegistry meters) {
        return new Pipeline.Step(Part.CAPTURE, () -> {
            CaptureEngine capture = CaptureEngine.start(settings, meters);
            return new Pipeline.RunningPart(capture, capture);
        });
    }

    /** The transform; its Kafka Streams threads run once the step has started. */
    static Pipeline.Step transform(TransformSettings settings, Mappings mappings, MeterRegistry meters) {
        return new Pipeline.Step(Part.TRANSFORM, () -> {
            TransformService transform = new TransformService(settings, mappings, meters);
            try {
                transform.start();
            } catch (RuntimeException e) {
                transform.close();
                throw e;
            }
            return new Pipeline.RunningPart(transform, transform);
        });
    }

    static Pipeline.Step apply(ApplierSettings settings, MeterRegistry meters) {
        return new Pipeline.Step(Part.APPLY, () -> {
            Applier applier = Applier.start(settings, meters);
            return new Pipeline.RunningPart(applier, applier);
        });
    }

    /**
     * Reconciliation: the target's capture and the reconcile topology. Start it after the transform, whose apply topics
     * it reads (it creates them when absent, so the order only saves early PENDING keys).
     */
    static Pipeline.Step reconcile(ReconcileSettings settings, Mappings mappings, MeterRegistry meters) {
        return new Pipeline.Step(Part.RECONCILE, () -> {
            ReconcileService reconcile = new ReconcileService(settings, mappings, meters);
            try {
                reconcile.start();
            } catch (RuntimeException e) {
                reconcile.close();
                throw e;
            }
            return new Pipeline.RunningPart(reconcile, reconcile);
        });
    }

    /** The dashboard on {@code dashboard.bind}, without a token: loopback only (elsewhere: turnout dashboard). */
    static Pipeline.Step dashboard(TurnoutConfig config, String registryUrl) {
        return new Pipeline.Step(Part.DASHBOARD, () -> {
            Dashboard dashboard = Dashboard.start(config.dashboard().bind(), Optional.empty(), config, registryUrl);
            return new Pipeline.RunningPart(dashboard, dashboard);
        });
    }

    /** The steps that keep the target equal to the mapped source, after capture: transform, then apply. */
    static java.util.List<Pipeline.Step> transformAndApply(LoadedConfig loaded, Mappings mappings, String registryUrl,
                                                          MeterRegistry meters) {
        TurnoutConfig cfg = loaded.config();
        return java.util.List.of(
            transform(TransformSettings.from(cfg, registryUrl), mappings, meters),
            apply(ApplierSettings.from(cfg, registryUrl), meters));
    }
}
