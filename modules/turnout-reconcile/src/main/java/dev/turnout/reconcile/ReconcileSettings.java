package dev.turnout.reconcile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.turnout.core.config.Mode;
import dev.turnout.core.config.Secret;
import dev.turnout.core.config.TurnoutConfig;

/**
 * What one reconcile instance needs: the pipeline's Kafka cluster and registry, the target database (captured under
 * {@code <pipeline>_target}), the grace period, the columns never compared, and where Kafka Streams keeps local state.
 * Immutable; validated at construction.
 *
 * @param pipeline        names the topics read and written and the Streams application id
 * @param kafkaProperties client properties passed to every client; Turnout's own settings win over them
 * @param registryUrl     the Confluent-compatible schema registry the pipeline writes to
 * @param partitions      partitions of the topics reconciliation creates ({@code capture.partitions})
 * @param heartbeat       heartbeat interval of the target's capture ({@code capture.heartbeat})
 * @param grace           how long a key may differ after the last change before it is no longer PENDING
 * @param ignore          target columns never compared
 * @param mode            replicate (the applier writes the target) or dual-write (the application does)
 * @param stateDir        directory of the local state stores; rebuilt from their changelog topics when lost
 */
public record ReconcileSettings(
    String pipeline,
    String bootstrap,
    Map<String, String> kafkaProperties,
    String registryUrl,
    int partitions,
    Duration heartbeat,
    String targetUrl,
    String targetUser,
    Secret targetPassword,
    Duration grace,
    List<String> ignore,
    Mode mode,
    Path stateDir) {

    /** {@code ~/.turnout/streams}, as the transform's; each application keeps its state under its own id. */
    public static final Path DEFAULT_STATE_DIR = Path.of(System.getProperty("user.home"), ".turnout", "streams");

    public ReconcileSettings {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(targetUrl, "targetUrl");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(stateDir, "stateDir");
        kafkaProperties = Map.copyOf(kafkaProperties);
        ignore = List.copyOf(ignore);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, got " + grace);
        }
    }

    /** Settings for the pipeline a config describes, with schemas from {@code registryUrl}. */
    public static ReconcileSettings from(TurnoutConfig config, String registryUrl) {
        return new ReconcileSettings(config.pipeline(), config.kafka().bootstrap(), config.kafka().properties(),
            registryUrl, config.capture().partitions(), config.capture().heartbeat(), config.target().url(),
            config.target().user(), config.target().password(), config.reconcile().grace(),
            config.reconcile().ignore(), config.mode(), DEFAULT_STATE_DIR);
    }

    /** The same settings with local state in {@code dir}. */
    public ReconcileSettings withStateDir(Path dir) {
        return new ReconcileSettings(pipeline, bootstrap, kafkaProperties, registryUrl, partitions, heartbeat, targetUrl,
            targetUser, targetPassword, grace, ignore, mode, dir);
    }

    /** The Kafka Streams application id, also its consumer group and the prefix of its internal topics. */
    public String applicationId() {
        return "turnout-" + pipeline + "-reconcile";
    }
}
