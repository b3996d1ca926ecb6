package dev.turnout.cutover.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import dev.turnout.cutover.CutoverException;
import dev.turnout.cutover.CutoverException.Kind;

/**
 * Reads offset ranges of many partitions at once with one read_committed consumer (no group), so that a translation
 * over a thousand partitions costs a handful of fetch round trips rather than a thousand. Aborted records and
 * transaction markers are skipped by the consumer; offsets in a window therefore have gaps.
 *
 * <p>Not thread-safe: one reader per thread. Owns its consumer; {@link #close()} closes it.
 */
public final class PartitionReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaAccess access;
    private final KafkaConsumer<byte[], byte[]> consumer;

    public PartitionReader(KafkaAccess access) {
        this.access = access;
        this.consumer = access.consumer(true);
    }

    /**
     * What to read of one partition: offsets from {@code start} (at least the log start) up to {@code end} (at most the
     * last stable offset), at most {@code maxRecords} records, stopping early after a record {@code stopAfter} accepts.
     */
    public record Spec<T>(long start, long end, int maxRecords, Predicate<T> stopAfter) {
        public static <T> Spec<T> range(long start, long end) {
            return new Spec<>(start, end, Integer.MAX_VALUE, r -> false);
        }
    }

    /**
     * The records read from one partition.
     *
     * @param covered  every committed record with an offset in [start, covered) is in {@code records}
     * @param complete whether the requested end was reached (rather than the record limit or the stop condition)
     */
    public record Window<T>(long start, long covered, List<T> records, boolean complete) {
    }

    /** Reads every spec; each record is mapped as it arrives, so payloads need not be kept. */
    public <T> Map<TopicPartition, Window<T>> read(Map<TopicPartition, Spec<T>> specs,
                                                    Function<ConsumerRecord<byte[], byte[]>, T> mapper) {
        Map<TopicPartition, List<T>> records = new HashMap<>();
        Map<TopicPartition, Window<T>> done = new HashMap<>();
        Set<TopicPartition> active = new HashSet<>();
        specs.forEach((tp, spec) -> {
            if (spec.start() >= spec.end() || spec.maxRecords() <= 0) {
                done.put(tp, new Window<>(spec.start(), spec.start(), List.of(), spec.start() >= spec.end()));
            } else {
                active.add(tp);
                records.put(tp, new ArrayList<>());
            }
        });
        if (active.isEmpty()) {
            return done;
        }
        consumer.assign(active);
        active.forEach(tp -> consumer.seek(tp, specs.get(tp).start()));
        long idleDeadline = System.nanoTime() + access.timeout().toNanos();
        while (!active.isEmpty()) {
            ConsumerRecords<byte[], byte[]> polled = poll();
            if (!polled.isEmpty()) {
                idleDeadline = System.nanoTime() + access.timeout().toNanos();
            }
            for (TopicPartition tp : polled.partitions()) {
                if (!active.contains(tp)) {
                    continue;
                }
                Spec<T> spec = specs.get(tp);
                List<T> list = records.get(tp);
                for (ConsumerRecord<byte[], byte[]> r : polled.records(tp)) {
                    if (r.offset() >= spec.end()) {
                        finish(tp, spec, list, spec.end(), true, active, done);
                        break;
                    }
                    T mapped = mapper.apply(r);
                    list.add(mapped);
                    if (list.size() >= spec.maxRecords() || spec.stopAfter().test(mapped)) {
                        finish(tp, spec, list, r.offset() + 1, r.offset() + 1 >= spec.end(), active, done);
                        break;
                    }
                }
            }
            for (TopicPartition tp : new ArrayList<>(active)) {
                long position = consumer.position(tp);
                if (position >= specs.get(tp).end()) {
                    finish(tp, specs.get(tp), records.get(tp), specs.get(tp).end(), true, active, done);
                }
            }
            if (!active.isEmpty() && System.nanoTime() > idleDeadline) {
                TopicPartition stuck = active.iterator().next();
                throw new CutoverException(Kind.UNREACHABLE, "Reading " + stuck + " on " + access.cluster()
                    + " made no progress for " + access.timeout().toSeconds() + " s (position "
                    + consumer.position(stuck) + ", reading up to " + specs.get(stuck).end() + ")");
            }
        }
        consumer.assign(List.of());
        return done;
    }

    private ConsumerRecords<byte[], byte[]> poll() {
        try {
            return consumer.poll(POLL);
        } catch (OffsetOutOfRangeException e) {
            throw new CutoverException(Kind.FAILED, "Records of " + e.partitions() + " on " + access.cluster()
                + " were deleted while being read (retention moved the log start); run the command again", e);
        } catch (KafkaException e) {
            throw access.failure("read records", e);
        }
    }

    private <T> void finish(TopicPartition tp, Spec<T> spec, List<T> list, long covered, boolean complete,
                            Set<TopicPartition> active, Map<TopicPartition, Window<T>> done) {
        active.remove(tp);
        consumer.pause(List.of(tp));
        done.put(tp, new Window<>(spec.start(), covered, List.copyOf(list), complete));
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
