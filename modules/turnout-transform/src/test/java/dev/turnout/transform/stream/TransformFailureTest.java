package dev.turnout.transform.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.core.health.Part;
import dev.turnout.core.health.PartState;
import dev.turnout.core.health.Parts;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.SourceCatalog;
import dev.turnout.transform.SourceColumn;
import dev.turnout.transform.SourceSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class TransformFailureTest {

    private static final TableId ITEMS = TableId.parse("public.items");

    @Test
    void anUnreachableSchemaRegistryStopsTheTransformWithAFailureNamingItAndDeadLettersNothing() throws Exception {
        try (TopologyFixture f = new TopologyFixture("noregistry")) {
            LoadedConfig config = f.config(List.of(ITEMS), "");
            Mappings mappings = Mappings.compile(config, SourceCatalog.of(List.of(
                SourceSchema.of(ITEMS, SourceColumn.of("id", "int4", false).inPrimaryKey(1)))));
            String registry = "http://127.0.0.1:" + closedPort();
            TransformSettings settings = new TransformSettings(f.pipeline, f.kafka.bootstrap(), Map.of(), registry, 1,
                f.stateDir);

            // Wire-format framing (magic byte 0, schema id 42): decoding it needs the registry.
            String cdc = TopicNames.cdc(f.pipeline, ITEMS);
            f.kafka.createTopic(cdc, 1, Map.of());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new HashMap<>(f.kafka.clientProperties()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(cdc, new byte[] {0, 0, 0, 0, 42, 2}, new byte[] {0, 0, 0, 0, 42, 2}))
                    .get();
            }

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (TransformService transform = new TransformService(settings, mappings, meters)) {
                new Parts(meters).register(Part.TRANSFORM, transform);
                transform.start();
                await().atMost(TopologyFixture.TIMEOUT).until(() -> transform.failure().isPresent());

                assertThat(transform.failure().get()).hasMessageStartingWith("Transform of pipeline '" + f.pipeline
                    + "' stopped: Cannot decode records of " + cdc + ": the schema registry at " + registry
                    + " cannot be reached");
                assertThat(transform.healthy()).isFalse();
                assertThat(transform.partStatus().state()).isEqualTo(PartState.FAILED);
                assertThat(transform.partStatus().detail()).hasValue(transform.failure().get().getMessage());
                await().atMost(TopologyFixture.TIMEOUT).until(() -> transform.state() == KafkaStreams.State.ERROR);
                assertThat(meters.get("turnout.part.up").tag("part", "transform").gauge().value()).isZero();
            }
            assertThat(f.readRaw(TopicNames.deadLetters(f.pipeline), records -> true)).isEmpty();
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
