package dev.turnout.cutover;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.cutover.CutoverException.Kind;
import dev.turnout.cutover.internal.ClusterSession;
import dev.turnout.cutover.internal.Json;
import dev.turnout.cutover.internal.PlanBuilder;
import dev.turnout.cutover.internal.SnapshotTaker;
import dev.turnout.cutover.internal.TranslationEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Translates a group's committed offsets from a source cluster to a target cluster: for each partition with committed
 * offset c on the source, the offset t on the target such that the records before t on the target are exactly the
 * counterparts of the records before c on the source, or UNRESOLVED with the reason. See the README's "How translation
 * works" for the rules.
 *
 * <p>Read-only on both clusters. Not thread-safe; owns its clients, {@link #close()} closes them.
 */
public final class OffsetTranslator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OffsetTranslator.class);

    private final ClusterSession source;
    private final ClusterSession target;
    private final TranslationOptions options;
    private final MeterRegistry meters;

    public OffsetTranslator(ClusterConnection source, ClusterConnection target, TranslationOptions options) {
        this(source, target, options, null);
    }

    /**
     * A translator that also records its results as {@code turnout.cutover.translated.partitions} (counter, tag
     * {@code status}) and {@code turnout.cutover.translation} (timer) on {@code meters}, for processes that translate
     * while serving metrics.
     */
    public OffsetTranslator(ClusterConnection source, ClusterConnection target, TranslationOptions options,
                            MeterRegistry meters) {
        this.source = new ClusterSession(source, options.timeout());
        this.target = new ClusterSession(target, options.timeout());
        this.options = options;
        this.meters = meters;
    }

    /** Takes a snapshot of the group on the source now and translates it. */
    public TranslationPlan translateCurrent(String group) {
        return translate(SnapshotTaker.take(source, group));
    }

    /** Translates a snapshot taken on the source cluster. */
    public TranslationPlan translate(GroupSnapshot snapshot) {
        String sourceId = source.access().clusterId();
        if (!snapshot.clusterId().equals(sourceId)) {
            throw new CutoverException(Kind.INVALID_INPUT, "Snapshot " + snapshot.id() + " was taken on cluster id "
                + snapshot.clusterId() + " (" + snapshot.clusterName() + "), but the source " + source.access().cluster()
                + " has cluster id " + sourceId);
        }
        target.access().clusterId();
        long started = System.nanoTime();
        Map<TopicPartition, TranslationEngine.PartitionOutcome> outcomes =
            new TranslationEngine(source, target, options).translate(snapshot.committedOffsets());
        Map<TopicPartition, OffsetAndMetadata> onTarget = target.access().committedOffsets(snapshot.group());
        List<TopicPartitionOffset> clear = new ArrayList<>();
        onTarget.forEach((tp, om) -> {
            if (!outcomes.containsKey(tp)) {
                clear.add(TopicPartitionOffset.of(tp, om.offset()));
            }
        });
        clear.sort(null);
        TranslationPlan plan = PlanBuilder.build(snapshot, source, target, outcomes, clear);
        record(plan, System.nanoTime() - started);
        log.info("Translated group {} from {} to {}: {} partition(s), {} exact, {} at start, {} at end, {} unresolved in {} ms",
            snapshot.group(), source.access().cluster(), target.access().cluster(), plan.summary().partitions(),
            plan.summary().exact(), plan.summary().atStart(), plan.summary().atEnd(), plan.summary().unresolved(),
            (System.nanoTime() - started) / 1_000_000);
        return plan;
    }

    private void record(TranslationPlan plan, long nanos) {
        if (meters == null) {
            return;
        }
        Timer.builder("turnout.cutover.translation").description("Time to translate one consumer group's offsets")
            .register(meters).record(nanos, TimeUnit.NANOSECONDS);
        for (TranslationPlan.PartitionPlan p : plan.partitions()) {
            Counter.builder("turnout.cutover.translated.partitions").tag("status", p.status().name().toLowerCase())
                .description("Partitions translated, by outcome").register(meters).increment();
        }
    }

    public static void writePlan(TranslationPlan plan, Path file) {
        Json.writeFile(plan, file);
    }

    public static TranslationPlan readPlan(Path file) {
        TranslationPlan plan = Json.readFile(file, TranslationPlan.class, "Turnout translation plan (JSON)");
        if (!TranslationPlan.FORMAT.equals(plan.format())) {
            throw new CutoverException(Kind.INVALID_INPUT, file + ": plan format " + plan.format() + " is not "
                + TranslationPlan.FORMAT);
        }
        return plan;
    }

    @Override
    public void close() {
        source.close();
        target.close();
    }
}
