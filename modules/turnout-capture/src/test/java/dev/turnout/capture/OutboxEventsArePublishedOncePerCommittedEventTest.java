package dev.turnout.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.avro.AvroConverter;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Outbox: a service writes its rows and its events in one local transaction; capture routes each committed event row
 * (Debezium's EventRouter, as {@link ConnectorProperties} configures it) to {@code outbox.<aggregatetype>}, keyed by the
 * aggregate id, with the event id and type as headers and the payload as the value. A Kafka Connect worker given the
 * same settings publishes the same events.
 *
 * <p>Every test ends its events with a fence event committed last: a read_committed reader that has seen the fence has
 * seen everything committed before it on the partition, so the events before it can be compared exactly (duplicates
 * included) without waiting for quiet.
 */
class OutboxEventsArePublishedOncePerCommittedEventTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final TableId ORDERS = TableId.parse("public.orders");
    static final TableId OUTBOX = TableId.parse("public.outbox");

    @Test
    void committedEventsArriveOnceEachKeyedByAggregateWithTheirIdInOrderPerAggregate() throws Exception {
        CaptureFixture f = new CaptureFixture("outbox");
        Shop shop = new Shop(f);
        try (CaptureEngine capture = CaptureEngine.start(shop.settings(), new SimpleMeterRegistry())) {
            shop.awaitStreaming();
            List<Event> orderEvents = new ArrayList<>();
            orderEvents.add(shop.placeOrder(1, "ada", "9.99"));
            Event registered = shop.registerCustomer("ada");
            orderEvents.add(shop.placeOrder(2, "bob", "5.00"));
            orderEvents.add(shop.orderEvent(1, "OrderPaid", false));
            orderEvents.add(shop.orderEvent(2, "OrderPaid", false));
            // The table-stays-empty variant of the pattern: the event row is deleted in the transaction that wrote it.
            orderEvents.add(shop.orderEvent(1, "OrderShipped", true));
            orderEvents.add(shop.orderEvent(2, "OrderCancelled", false));
            Event fence = shop.orderEvent(3, "Fence", false);

            List<Received> orders = readThrough(f, shop.orderTopic(), fence);
            assertThat(orders).as("the events before the fence, once each, in commit order")
                .extracting(Received::id).containsExactlyElementsOf(orderEvents.stream().map(Event::id).toList());
            for (int i = 0; i < orderEvents.size(); i++) {
                Event sent = orderEvents.get(i);
                Received got = orders.get(i);
                assertThat(got.key()).as("key of %s", sent.type()).isEqualTo(sent.aggregateId());
                assertThat(got.value()).as("value of %s", sent.type()).isEqualTo(sent.payload());
                assertThat(got.type()).isEqualTo(sent.type());
            }
            assertThat(orders).filteredOn(r -> r.key().equals("1")).extracting(Received::type)
                .containsExactly("OrderPlaced", "OrderPaid", "OrderShipped");
            assertThat(orders).filteredOn(r -> r.key().equals("2")).extracting(Received::type)
                .containsExactly("OrderPlaced", "OrderPaid", "OrderCancelled");

            // One topic per aggregate type.
            Event customerFence = shop.event(shop.customerType, "bob", "Fence", "{}");
            assertThat(readThrough(f, shop.customerTopic(), customerFence)).extracting(Received::id)
                .containsExactly(registered.id());

            // The business rows are captured as changes as usual; the outbox rows only as events.
            List<CaptureFixture.Change> orderChanges = f.readChanges(TopicNames.cdc(f.pipeline, ORDERS), 3, TIMEOUT);
            assertThat(orderChanges).extracting(CaptureFixture.Change::op).startsWith("r", "c", "c");
            try (Admin admin = Admin.create(f.kafka.clientProperties())) {
                assertThat(admin.listTopics().names().get()).doesNotContain(TopicNames.cdc(f.pipeline, OUTBOX));
            }
            assertThat(capture.failure()).isEmpty();
        } finally {
            f.dropSlot();
        }
    }

    @Test
    void anEventWhoseTransactionRolledBackIsNeverPublished() throws Exception {
        CaptureFixture f = new CaptureFixture("outboxrollback");
        Shop shop = new Shop(f);
        try (CaptureEngine capture = CaptureEngine.start(shop.settings(), new SimpleMeterRegistry())) {
            shop.awaitStreaming();
            Event before = shop.placeOrder(1, "ada", "9.99");
            UUID rolledBack = shop.placeOrderAndRollBack(2, "bob", "5.00");
            Event after = shop.placeOrder(3, "cy", "1.00");
            Event fence = shop.orderEvent(4, "Fence", false);

            List<Received> orders = readThrough(f, shop.orderTopic(), fence);
            assertThat(orders).extracting(Received::id).doesNotContain(rolledBack.toString())
                .containsExactly(before.id(), after.id());
            assertThat(f.readChanges(TopicNames.cdc(f.pipeline, ORDERS), 4, TIMEOUT))
                .as("nor the order written with it").extracting(c -> c.valueStruct().getStruct("after").getInt32("id"))
                .containsExactly(0, 1, 3, 4);
            assertThat(capture.failure()).isEmpty();
        } finally {
            f.dropSlot();
        }
    }

    @Test
    void onKafkaConnectTheSameSettingsPublishTheSameEvents() throws Exception {
        CaptureFixture f = new CaptureFixture("outboxconnect");
        Shop shop = new Shop(f);
        f.sql("CREATE TABLE " + TopicNames.signalTable(f.pipeline)
            + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");
        Map<String, String> config = ConnectorProperties.kafkaConnect(shop.settings());
        config.put("database.password", shop.settings().password().reveal());
        try (InProcessConnectWorker worker = InProcessConnectWorker.start(f.kafka.bootstrap())) {
            worker.putConnector(config.get("name"), config);
            await().atMost(TIMEOUT).until(() -> worker.running(config.get("name")));
            shop.awaitStreaming();
            Event placed = shop.placeOrder(1, "ada", "9.99");
            shop.placeOrderAndRollBack(2, "bob", "5.00");
            Event shipped = shop.orderEvent(1, "OrderShipped", true);
            Event fence = shop.orderEvent(3, "Fence", false);

            List<Received> orders = readThrough(f, shop.orderTopic(), fence);
            assertThat(orders).containsExactly(
                new Received(placed.id(), "1", "OrderPlaced", placed.payload()),
                new Received(shipped.id(), "1", "OrderShipped", shipped.payload()));
        } finally {
            f.dropSlot();
        }
    }

    /** An event as the service wrote it. */
    record Event(String id, String aggregateId, String type, String payload) {
    }

    /** An event as a consumer reads it. */
    record Received(String id, String key, String type, String value) {
    }

    /**
     * Reads {@code topic} with read_committed from the beginning until {@code fence} arrives; returns what came before it,
     * and fails if anything came after it or it never came.
     */
    static List<Received> readThrough(CaptureFixture f, String topic, Event fence) {
        Map<String, Object> props = new HashMap<>(f.kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        AvroConverter keys = new AvroConverter();
        keys.configure(Map.of("schema.registry.url", CaptureFixture.registryUrl()), true);
        AvroConverter values = new AvroConverter();
        values.configure(Map.of("schema.registry.url", CaptureFixture.registryUrl()), false);
        List<Received> received = new ArrayList<>();
        Predicate<List<Received>> fenced = list -> list.stream().anyMatch(r -> r.id().equals(fence.id()));
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // The topic exists once capture wrote the first event to it.
            List<TopicPartition> partitions = await().atMost(TIMEOUT).until(
                () -> consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList(),
                list -> !list.isEmpty());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!fenced.test(received) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    received.add(new Received(header(r, "id"), (String) keys.toConnectData(topic, r.key()).value(),
                        header(r, "eventType"), (String) values.toConnectData(topic, r.value()).value()));
                }
            }
        }
        assertThat(received).as("events on %s up to the fence", topic).extracting(Received::id).contains(fence.id());
        assertThat(received.get(received.size() - 1).id()).as("the fence is the last event").isEqualTo(fence.id());
        return received.subList(0, received.size() - 1);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * The service: orders and customers, each write with its event in one local transaction. Aggregate types carry the
     * pipeline name because event topics are named by aggregate type alone and the JVM's Kafka is shared.
     */
    static final class Shop {
        final CaptureFixture f;
        final String orderType;
        final String customerType;

        Shop(CaptureFixture f) {
            this.f = f;
            this.orderType = "order-" + f.pipeline;
            this.customerType = "customer-" + f.pipeline;
            f.sql("CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, total numeric(10,2) NOT NULL, "
                    + "status text NOT NULL)",
                "CREATE TABLE customers (name text PRIMARY KEY)",
                "CREATE TABLE outbox (id uuid PRIMARY KEY, aggregatetype text NOT NULL, aggregateid text NOT NULL, "
                    + "type text NOT NULL, payload text NOT NULL)",
                "INSERT INTO orders VALUES (0, 'seed', 0, 'placed')");
        }

        /**
         * Waits for the seed order's snapshot read: the slot exists from then on, so every later commit is streamed.
         * Writes committed before the slot existed reach Kafka only through the snapshot, which sees the table as it is;
         * an event row already deleted again would never be published.
         */
        void awaitStreaming() {
            await().atMost(TIMEOUT).ignoreExceptions().until(() -> f.readChanges(TopicNames.cdc(f.pipeline, ORDERS), 1,
                Duration.ofSeconds(2)).stream().anyMatch(c -> "r".equals(c.op())));
        }

        CaptureSettings settings() {
            // The fixture's topic pattern is "outbox.{aggregateType}".
            return f.settings(List.of(ORDERS), SnapshotMode.INITIAL, List.of(OUTBOX));
        }

        String orderTopic() {
            return "outbox." + orderType;
        }

        String customerTopic() {
            return "outbox." + customerType;
        }

        Event placeOrder(int id, String customer, String total) throws SQLException {
            try (Connection c = begin()) {
                update(c, "INSERT INTO orders VALUES (?, ?, ?::numeric, 'placed')", id, customer, total);
                Event e = insertEvent(c, orderType, String.valueOf(id), "OrderPlaced",
                    "{\"id\":" + id + ",\"customer\":\"" + customer + "\",\"total\":\"" + total + "\"}");
                c.commit();
                return e;
            }
        }

        UUID placeOrderAndRollBack(int id, String customer, String total) throws SQLException {
            try (Connection c = begin()) {
                update(c, "INSERT INTO orders VALUES (?, ?, ?::numeric, 'placed')", id, customer, total);
                Event e = insertEvent(c, orderType, String.valueOf(id), "OrderPlaced", "{\"id\":" + id + "}");
                c.rollback();
                return UUID.fromString(e.id());
            }
        }

        /** Changes an order's status (inserting it if new) with its event; optionally deletes the event row again. */
        Event orderEvent(int id, String type, boolean deleteEventRow) throws SQLException {
            try (Connection c = begin()) {
                update(c, "INSERT INTO orders VALUES (?, 'nobody', 0, ?) ON CONFLICT (id) DO UPDATE SET status = ?",
                    id, type, type);
                Event e = insertEvent(c, orderType, String.valueOf(id), type, "{\"id\":" + id + ",\"status\":\"" + type
                    + "\"}");
                if (deleteEventRow) {
                    update(c, "DELETE FROM outbox WHERE id = ?::uuid", e.id());
                }
                c.commit();
                return e;
            }
        }

        Event registerCustomer(String name) throws SQLException {
            try (Connection c = begin()) {
                update(c, "INSERT INTO customers VALUES (?)", name);
                Event e = insertEvent(c, customerType, name, "CustomerRegistered", "{\"name\":\"" + name + "\"}");
                c.commit();
                return e;
            }
        }

        /** An event alone, in its own transaction. */
        Event event(String aggregateType, String aggregateId, String type, String payload) throws SQLException {
            try (Connection c = begin()) {
                Event e = insertEvent(c, aggregateType, aggregateId, type, payload);
                c.commit();
                return e;
            }
        }

        private Connection begin() throws SQLException {
            Connection c = f.pg.connect(f.database);
            c.setAutoCommit(false);
            return c;
        }

        private static Event insertEvent(Connection c, String aggregateType, String aggregateId, String type,
                                         String payload) throws SQLException {
            String id = UUID.randomUUID().toString();
            update(c, "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (?::uuid, ?, ?, ?, ?)",
                id, aggregateType, aggregateId, type, payload);
            return new Event(id, aggregateId, type, payload);
        }

        private static void update(Connection c, String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
        }
    }
}
