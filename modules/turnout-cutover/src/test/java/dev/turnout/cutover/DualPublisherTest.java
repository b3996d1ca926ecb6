package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.cutover.TestRecords.Seen;
import dev.turnout.testkit.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class DualPublisherTest {

    static final KafkaCluster PRIMARY = TwoClusters.a();
    /** This class's own secondary: the outage test stops and restarts it. */
    static KafkaCluster secondary;

    @TempDir
    Path journal;

    @BeforeAll
    static void startSecondary() {
        secondary = TwoClusters.start("dual-secondary");
    }

    @AfterAll
    static void stopSecondary() {
        secondary.close();
    }

    DualPublisher.Builder<String, String> publisher(String name, KafkaCluster second) {
        return DualPublisher.builder(new StringSerializer(), new StringSerializer())
            .name(name)
            .primary(PRIMARY.clientProperties())
            .secondary(second.clientProperties())
            .journal(journal)
            .retryBackoff(Duration.ofMillis(100));
    }

    static void createOnBoth(String topic, int partitions, KafkaCluster second) {
        PRIMARY.createTopic(topic, partitions, Map.of());
        second.createTopic(topic, partitions, Map.of());
    }

    static List<CompletableFuture<PublishResult>> send(DualPublisher<String, String> p, String topic, int from, int count) {
        List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            futures.add(p.send(new ProducerRecord<>(topic, "key-" + (i % 37), "value-" + i)));
        }
        return futures;
    }

    static void join(List<CompletableFuture<PublishResult>> futures) {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    }

    /** Per partition, the ids in log order. */
    static Map<Integer, List<String>> idsByPartition(KafkaCluster cluster, String topic, int partitions) {
        Map<Integer, List<String>> ids = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            ids.put(p, TestRecords.readAll(cluster, topic, p).stream().map(Seen::id).toList());
        }
        return ids;
    }

    @Test
    void everyRecordReachesBothSidesOnceInOrderAcrossASecondaryOutage() {
        String topic = "dual-outage";
        createOnBoth(topic, 3, secondary);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        List<PublishResult> results = new ArrayList<>();
        try (DualPublisher<String, String> p = publisher("outage", secondary).meterRegistry(metrics).build()) {
            List<CompletableFuture<PublishResult>> before = send(p, topic, 0, 300);
            join(before);
            secondary.stop();
            List<CompletableFuture<PublishResult>> during = send(p, topic, 300, 300);
            // The primary keeps working: every send completes while the secondary is down.
            join(during);
            assertThat(p.pending()).isGreaterThanOrEqualTo(300);
            assertThat(metrics.get("turnout.publisher.secondary.pending").gauge().value()).isGreaterThanOrEqualTo(300);
            secondary.restart();
            List<CompletableFuture<PublishResult>> after = send(p, topic, 600, 300);
            join(after);
            await().atMost(Duration.ofSeconds(90)).until(() -> p.pending() == 0);
            before.forEach(f -> results.add(f.join()));
            during.forEach(f -> results.add(f.join()));
            after.forEach(f -> results.add(f.join()));
            assertThat(metrics.get("turnout.publisher.sent").tag("cluster", "secondary").counter().count())
                .isGreaterThanOrEqualTo(900);
            assertThat(metrics.get("turnout.publisher.secondary.pending").gauge().value()).isZero();
        }
        Map<Integer, List<String>> onPrimary = idsByPartition(PRIMARY, topic, 3);
        Map<Integer, List<String>> onSecondary = idsByPartition(secondary, topic, 3);
        assertThat(onSecondary).isEqualTo(onPrimary);
        List<String> all = onPrimary.values().stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(900).doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(results.stream().map(PublishResult::id).toList());
        // Per partition, the order is the send order.
        for (int part = 0; part < 3; part++) {
            int partition = part;
            List<String> sent = results.stream().filter(r -> r.partition() == partition).map(PublishResult::id).toList();
            assertThat(onPrimary.get(part)).isEqualTo(sent);
        }
        Seen first = TestRecords.readAll(PRIMARY, topic, results.get(0).partition()).get(0);
        Seen copy = TestRecords.readAll(secondary, topic, results.get(0).partition()).get(0);
        assertThat(copy).isEqualTo(first);
    }

    @Test
    void aFullJournalRefusesRecordsWithAClearErrorAndPublishesNothing() {
        String topic = "dual-full";
        createOnBoth(topic, 1, TwoClusters.b());
        try (DualPublisher<String, String> p = publisher("full", TwoClusters.b()).journalCapacity(50).build()) {
            p.pauseSecondary();
            join(send(p, topic, 0, 50));
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(topic, "k", "refused")))
                .isInstanceOf(JournalFullException.class)
                .hasMessageContaining("journal")
                .hasMessageContaining("full")
                .hasMessageContaining("was not published");
            p.resumeSecondary();
            await().atMost(Duration.ofSeconds(30)).until(() -> p.pending() == 0);
            join(send(p, topic, 50, 10));
            assertThat(p.awaitSecondary(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(TestRecords.readAll(PRIMARY, topic, 0)).extracting(Seen::value).doesNotContain("refused").hasSize(60);
        assertThat(TestRecords.readAll(TwoClusters.b(), topic, 0)).hasSize(60);
    }

    @Test
    void modesSwitchAtRunTimeAndKeepOrder() {
        String topic = "dual-modes";
        createOnBoth(topic, 2, TwoClusters.b());
        try (DualPublisher<String, String> p = publisher("modes", TwoClusters.b()).mode(PublishMode.PRIMARY_ONLY).build()) {
            join(send(p, topic, 0, 20));
            p.mode(PublishMode.DUAL);
            p.pauseSecondary();
            join(send(p, topic, 20, 20));
            p.mode(PublishMode.SECONDARY_ONLY);
            List<CompletableFuture<PublishResult>> last = send(p, topic, 40, 20);
            p.resumeSecondary();
            join(last);
            assertThat(last.get(0).join().secondary()).isNotNull();
        }
        List<Seen> primary = new ArrayList<>();
        List<Seen> second = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            primary.addAll(TestRecords.readAll(PRIMARY, topic, part));
            second.addAll(TestRecords.readAll(TwoClusters.b(), topic, part));
        }
        assertThat(primary).hasSize(40);
        assertThat(primary.stream().filter(s -> s.id() == null)).hasSize(20);
        assertThat(second).hasSize(40).allSatisfy(s -> assertThat(s.id()).isNotNull());
        assertThat(second).extracting(Seen::value).doesNotContainAnyElementsOf(
            primary.stream().filter(s -> s.id() == null).map(Seen::value).toList());
        // The secondary got the journaled DUAL records before the SECONDARY_ONLY ones, per partition.
        for (int part = 0; part < 2; part++) {
            List<Integer> order = TestRecords.readAll(TwoClusters.b(), topic, part).stream()
                .map(s -> Integer.parseInt(s.value().substring("value-".length()))).toList();
            assertThat(order).isSorted();
        }
    }

    @Test
    void aRestartShipsOnlyTheJournaledRecordsTheSecondaryDoesNotHaveYet() {
        String topic = "dual-restart";
        createOnBoth(topic, 1, TwoClusters.b());
        List<PublishResult> sent = new ArrayList<>();
        try (DualPublisher<String, String> p = publisher("restart", TwoClusters.b()).build()) {
            p.pauseSecondary();
            send(p, topic, 0, 100).forEach(f -> sent.add(f.orTimeout(30, TimeUnit.SECONDS).join()));
            assertThat(p.pending()).isEqualTo(100);
        }
        // As if the first 40 had reached the secondary just before a crash, unacknowledged.
        List<Seen> onPrimary = TestRecords.readAll(PRIMARY, topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = TestRecords.producer(TwoClusters.b())) {
            for (Seen s : onPrimary.subList(0, 40)) {
                producer.send(TestRecords.record(topic, 0, s.timestamp(), s.key(), s.value(), s.id()));
            }
        }
        try (DualPublisher<String, String> p = publisher("restart", TwoClusters.b()).build()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> p.pending() == 0);
        }
        List<Seen> onSecondary = TestRecords.readAll(TwoClusters.b(), topic, 0);
        assertThat(onSecondary).extracting(Seen::id).containsExactlyElementsOf(
            sent.stream().map(PublishResult::id).toList());
    }
}
