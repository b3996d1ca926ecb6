package dev.turnout.cutover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.cutover.CopyPlan.PartitionCopy;
import dev.turnout.cutover.CutoverException.Kind;
import dev.turnout.cutover.internal.KafkaAccess;
import dev.turnout.cutover.internal.PartitionReader;

/**
 * Copies the records already on the source (the backlog from before dual publishing began) to the same partitions of
 * the target, preserving key, value, headers and timestamp (as CreateTime) and adding a {@link TurnoutHeaders#SRC}
 * header naming the original (cluster id, topic, partition, offset). Read committed: aborted records and transaction
 * markers are not copied.
 *
 * <p>Resumable: the plan starts each partition after the last record on the target that is a copy of it, so a crash or
 * a second run never copies a record twice (the idempotent producer keeps order and drops its own retries). A partition
 * whose target already ends in records of its own (dual-published) is closed: copying more would put older records
 * after newer ones. Run the copy before the dual publisher's secondary starts receiving records (hold it with
 * {@link DualPublisher#pauseSecondary()}). Not thread-safe; owns its clients.
 */
public final class TopicCopier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicCopier.class);
    private static final int TAIL = 256;

    private final KafkaAccess source;
    private final KafkaAccess target;

    /** Called as records are copied; {@code total} is an upper bound. */
    public interface Progress {
        void copied(long copied, long total);
    }

    public TopicCopier(ClusterConnection from, ClusterConnection to, Duration timeout) {
        this.source = new KafkaAccess(from, timeout);
        this.target = new KafkaAccess(to, timeout);
    }

    /** Works out what to copy for the source topics matching {@code topics}. Changes nothing. */
    public CopyPlan plan(Pattern topics) {
        String sourceId = source.clusterId();
        List<String> names = source.topicNames().stream()
            .filter(t -> !t.startsWith("_") && !t.equals(TurnoutHeaders.SNAPSHOTS_TOPIC))
            .filter(t -> topics.matcher(t).matches()).sorted().toList();
        if (names.isEmpty()) {
            throw new CutoverException(Kind.INVALID_INPUT, "No topic on " + source.cluster() + " matches " + topics);
        }
        Map<String, Integer> sourceCounts = source.partitionCounts(names);
        Map<String, Integer> targetCounts = target.partitionCounts(names);
        List<String> problems = new ArrayList<>();
        for (String t : names) {
            if (!sourceCounts.get(t).equals(targetCounts.get(t))) {
                problems.add(t + " (" + sourceCounts.get(t) + " partitions on the source, "
                    + (targetCounts.get(t) == null ? "missing" : targetCounts.get(t) + " partitions") + " on the target)");
            }
        }
        if (!problems.isEmpty()) {
            throw new CutoverException(Kind.REFUSED, "Cannot copy " + String.join(", ", problems)
                + "; run 'turnout topics sync' first");
        }
        List<TopicPartition> tps = new ArrayList<>();
        names.forEach(t -> {
            for (int p = 0; p < sourceCounts.get(t); p++) {
                tps.add(new TopicPartition(t, p));
            }
        });
        Map<TopicPartition, Long> sourceStart = source.earliest(tps);
        Map<TopicPartition, Long> sourceEnd = source.lastStable(tps);
        Map<TopicPartition, Long> targetStart = target.earliest(tps);
        Map<TopicPartition, Long> targetEnd = target.lastStable(tps);
        Map<TopicPartition, PartitionReader.Spec<ConsumerRecord<byte[], byte[]>>> tails = new LinkedHashMap<>();
        tps.forEach(tp -> tails.put(tp, PartitionReader.Spec.range(Math.max(targetStart.get(tp), targetEnd.get(tp) - TAIL),
            targetEnd.get(tp))));
        Map<TopicPartition, PartitionReader.Window<ConsumerRecord<byte[], byte[]>>> tailRecords;
        try (PartitionReader reader = new PartitionReader(target)) {
            tailRecords = reader.read(tails, r -> r);
        }
        List<PartitionCopy> partitions = new ArrayList<>();
        for (TopicPartition tp : tps) {
            long from = sourceStart.get(tp);
            long copied = from;
            String note = null;
            List<ConsumerRecord<byte[], byte[]>> tail = tailRecords.get(tp).records();
            if (!tail.isEmpty()) {
                ConsumerRecord<byte[], byte[]> last = tail.get(tail.size() - 1);
                SourceRef src = src(last);
                if (src != null && src.clusterId().equals(sourceId) && src.topic().equals(tp.topic())
                        && src.partition() == tp.partition()) {
                    copied = src.offset() + 1;
                    from = Math.max(from, copied);
                } else {
                    from = sourceEnd.get(tp);
                    note = "the target partition already ends in records published to it directly; copying now would "
                        + "put older records after them";
                }
            }
            long until = sourceEnd.get(tp);
            if (note == null && from >= until) {
                note = from > sourceStart.get(tp) ? "already copied" : "nothing on the source";
            }
            partitions.add(new PartitionCopy(tp.topic(), tp.partition(), from, Math.max(from, until), copied, note));
        }
        return new CopyPlan(source.cluster().toString(), target.cluster().toString(), sourceId, partitions);
    }

    /** Copies what the plan says; returns how many records were copied. */
    public long execute(CopyPlan plan, Progress progress) {
        if (!plan.sourceClusterId().equals(source.clusterId())) {
            throw new CutoverException(Kind.INVALID_INPUT, "The copy plan was made for another source cluster");
        }
        Map<TopicPartition, PartitionCopy> todo = new HashMap<>();
        plan.partitions().forEach(p -> {
            if (p.remaining() > 0) {
                todo.put(new TopicPartition(p.topic(), p.partition()), p);
            }
        });
        long total = plan.remaining();
        long copied = 0;
        if (todo.isEmpty()) {
            progress.copied(0, 0);
            return 0;
        }
        Set<TopicPartition> active = new HashSet<>(todo.keySet());
        List<Future<RecordMetadata>> unacked = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = source.consumer(true);
             KafkaProducer<byte[], byte[]> producer = target.producer("turnout-copy", Map.of())) {
            consumer.assign(active);
            todo.forEach((tp, p) -> consumer.seek(tp, p.from()));
            long idleDeadline = System.nanoTime() + source.timeout().toNanos();
            long lastReport = 0;
            while (!active.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    idleDeadline = System.nanoTime() + source.timeout().toNanos();
                }
                for (TopicPartition tp : records.partitions()) {
                    if (!active.contains(tp)) {
                        continue;
                    }
                    PartitionCopy p = todo.get(tp);
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        if (r.offset() >= p.until() || r.headers().lastHeader(TurnoutHeaders.ID) != null) {
                            // Dual publishing began here: from now on records reach the target through the publisher.
                            finish(consumer, active, tp);
                            break;
                        }
                        unacked.add(producer.send(copyOf(r, plan.sourceClusterId())));
                        copied++;
                    }
                }
                for (TopicPartition tp : new ArrayList<>(active)) {
                    if (consumer.position(tp) >= todo.get(tp).until()) {
                        finish(consumer, active, tp);
                    }
                }
                if (unacked.size() > 5000) {
                    awaitAll(unacked);
                }
                if (System.nanoTime() - lastReport > 200_000_000L) {
                    progress.copied(copied, total);
                    lastReport = System.nanoTime();
                }
                if (!active.isEmpty() && System.nanoTime() > idleDeadline) {
                    throw new CutoverException(Kind.UNREACHABLE, "Copying from " + source.cluster() + " made no progress for "
                        + source.timeout().toSeconds() + " s (partitions " + active + ")");
                }
            }
            producer.flush();
            awaitAll(unacked);
        } catch (KafkaException e) {
            throw source.failure("copy records to " + target.cluster(), e);
        }
        progress.copied(copied, copied);
        log.info("Copied {} record(s) from {} to {}", copied, source.cluster(), target.cluster());
        return copied;
    }

    private void awaitAll(List<Future<RecordMetadata>> futures) {
        try {
            for (Future<RecordMetadata> f : futures) {
                f.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            futures.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException(Kind.FAILED, "Interrupted while copying", e);
        } catch (ExecutionException e) {
            throw target.failure("write copied records (run the copy again to resume)", e.getCause());
        } catch (TimeoutException e) {
            throw target.failure("write copied records (run the copy again to resume)", e);
        }
    }

    private static void finish(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> active, TopicPartition tp) {
        active.remove(tp);
        consumer.pause(List.of(tp));
    }

    private static ProducerRecord<byte[], byte[]> copyOf(ConsumerRecord<byte[], byte[]> r, String sourceClusterId) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            if (!TurnoutHeaders.SRC.equals(h.key())) {
                headers.add(new RecordHeader(h.key(), h.value()));
            }
        }
        headers.add(TurnoutHeaders.SRC, new SourceRef(sourceClusterId, r.topic(), r.partition(), r.offset()).toHeader());
        return new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value(), headers);
    }

    private static SourceRef src(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(TurnoutHeaders.SRC);
        return h == null ? null : SourceRef.parse(h.value()).orElse(null);
    }

    @Override
    public void close() {
        source.close();
        target.close();
    }
}
