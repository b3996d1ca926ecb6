package dev.turnout.transform.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.schemas.apply.Unavailable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Real PostgreSQL, real Debezium capture, real Kafka: changes made in the source database come out of the transform as
 * apply records with the mapped columns, the right operation and the source position.
 */
class TransformTopologyTest {

    private static final TableId USERS = TableId.parse("public.users");
    private static final TableId ACCOUNTS = TableId.parse("public.accounts");

    @Test
    void insertsUpdatesDeletesAndPrimaryKeyChangesBecomeTheLatestRecordPerTargetKey() throws Exception {
        try (TopologyFixture f = new TopologyFixture("e2e")) {
            f.sql("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, display_name text)",
                "INSERT INTO users VALUES (1, 'ada@example.com', 'Ada')");
            LoadedConfig config = f.config(List.of(USERS), """
                  - from: public.users
                    to: public.accounts
                    columns:
                      id: row.id
                      email: lower(row.email)
                      name: "!isBlank(row.display_name) ? row.display_name : part(row.email, '@', 0)"
                """);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            f.startCapture(config);
            f.startTransform(config, meters);

            f.sql("INSERT INTO users VALUES (2, 'Bob@Example.com', NULL), (3, 'carol@example.com', '  ')",
                "UPDATE users SET display_name = 'Robert' WHERE id = 2",
                "DELETE FROM users WHERE id = 3",
                "UPDATE users SET id = 4 WHERE id = 1",
                "UPDATE users SET email = 'ADA@new.example' WHERE id = 4");

            String topic = TopicNames.apply(f.pipeline, ACCOUNTS);
            // Snapshot read of 1; inserts of 2 and 3; update of 2; delete of 3; delete of 1 and create of 4 (the key
            // change); update of 4.
            List<TopologyFixture.Applied> applied = f.readApply(topic, records -> records.size() >= 8);
            assertThat(applied).hasSize(8);

            Map<String, TopologyFixture.Applied> latest = latestByKey(applied);
            assertThat(latest.keySet()).containsExactlyInAnyOrder("id=1", "id=2", "id=3", "id=4");
            assertThat(latest.get("id=1").op()).isEqualTo("DELETE");
            assertThat(latest.get("id=3").op()).isEqualTo("DELETE");
            assertThat(latest.get("id=3").value().getColumns()).isEmpty();
            assertThat(latest.get("id=2").op()).isEqualTo("UPSERT");
            assertThat(latest.get("id=2").columns()).containsExactly(Map.entry("id", 2L),
                Map.entry("email", "bob@example.com"), Map.entry("name", "Robert"));
            assertThat(latest.get("id=4").columns()).containsExactly(Map.entry("id", 4L),
                Map.entry("email", "ada@new.example"), Map.entry("name", "Ada"));

            // Every record carries its source position, deletes included, and positions grow per key.
            Map<String, List<TopologyFixture.Applied>> byKey = applied.stream()
                .collect(Collectors.groupingBy(TopologyFixture.Applied::keyText));
            byKey.forEach((key, records) -> {
                for (int i = 1; i < records.size(); i++) {
                    assertThat(records.get(i).lsn()).as("LSN of change %d of %s", i, key)
                        .isGreaterThan(records.get(i - 1).lsn());
                }
            });
            for (TopologyFixture.Applied a : applied) {
                assertThat(a.lsn()).isPositive();
                assertThat(a.value().getPosition().getCommitTime()).isNotNull();
                assertThat(a.value().getOrigin().getTopic()).isEqualTo(TopicNames.cdc(f.pipeline, USERS));
            }
            TopologyFixture.Applied deleteOf1 = latest.get("id=1");
            assertThat(deleteOf1.value().getPosition().getTxId()).isNotNull();
            assertThat(byKey.get("id=1")).extracting(TopologyFixture.Applied::op).containsExactly("UPSERT", "DELETE");
            assertThat(byKey.get("id=2")).extracting(TopologyFixture.Applied::op).containsExactly("UPSERT", "UPSERT");
            // The key change: the delete of the old key and the create of the new one come from one source transaction.
            assertThat(byKey.get("id=4").get(0).value().getPosition().getTxId())
                .isEqualTo(deleteOf1.value().getPosition().getTxId());

            assertThat(meters.get("turnout.transform.records").tag("table", "public.users").tag("outcome", "applied")
                .counter().count()).isEqualTo(8.0);
        }
    }

    @Test
    void aTargetKeyFromANonKeyColumnMovesWithItsRowAndAFilterTakesRowsInAndOut() throws Exception {
        TableId members = TableId.parse("public.members");
        try (TopologyFixture f = new TopologyFixture("rekey")) {
            // REPLICA IDENTITY DEFAULT: a delete's before image holds the primary key only, not the email the target key
            // is computed from.
            f.sql("CREATE TABLE members (id int PRIMARY KEY, email text NOT NULL, active boolean NOT NULL)");
            LoadedConfig config = f.config(List.of(members), """
                  - from: public.members
                    to: public.members_by_email
                    key: [email]
                    columns:
                      email: lower(row.email)
                      id: row.id
                    where: row.active
                """);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            f.startCapture(config);
            f.startTransform(config, meters);

            f.sql("INSERT INTO members VALUES (1, 'a@x.org', true), (2, 'b@x.org', true), (3, 'c@x.org', false)",
                "UPDATE members SET email = 'A2@x.org' WHERE id = 1",
                "UPDATE members SET active = false WHERE id = 2",
                "UPDATE members SET active = true WHERE id = 3",
                "DELETE FROM members WHERE id = 1",
                "UPDATE members SET email = 'b2@x.org' WHERE id = 2",
                "DELETE FROM members WHERE id = 2");

            String topic = TopicNames.apply(f.pipeline, TableId.parse("public.members_by_email"));
            // Upserts of a and b; delete a + upsert a2; delete b (left the filter); upsert c (entered it); delete a2.
            List<TopologyFixture.Applied> applied = f.readApply(topic, records -> records.size() >= 7);
            assertThat(applied).extracting(a -> a.op() + " " + a.keyText()).containsExactlyInAnyOrder(
                "UPSERT email=a@x.org", "UPSERT email=b@x.org",
                "DELETE email=a@x.org", "UPSERT email=a2@x.org",
                "DELETE email=b@x.org", "UPSERT email=c@x.org",
                "DELETE email=a2@x.org");

            Map<String, TopologyFixture.Applied> latest = latestByKey(applied);
            assertThat(latest.get("email=a@x.org").op()).isEqualTo("DELETE");
            assertThat(latest.get("email=a2@x.org").op()).isEqualTo("DELETE");
            assertThat(latest.get("email=b@x.org").op()).isEqualTo("DELETE");
            assertThat(latest.get("email=c@x.org").columns()).containsEntry("id", 3L);
            assertThat(latest).doesNotContainKey("email=b2@x.org");

            // The move of row 1 is one change: the delete of the old key and the upsert of the new carry its position.
            TopologyFixture.Applied moveDelete = applied.stream()
                .filter(a -> a.op().equals("DELETE") && a.keyText().equals("email=a@x.org")).findFirst().orElseThrow();
            TopologyFixture.Applied moveUpsert = applied.stream()
                .filter(a -> a.op().equals("UPSERT") && a.keyText().equals("email=a2@x.org")).findFirst().orElseThrow();
            assertThat(moveDelete.value().getPosition()).isEqualTo(moveUpsert.value().getPosition());
            assertThat(latest.get("email=a2@x.org").lsn()).isGreaterThan(moveUpsert.lsn());

            // Filtered: the insert of inactive c, the email change of inactive b, the delete of inactive b.
            assertThat(meters.get("turnout.transform.records").tag("outcome", "filtered").counter().count())
                .isEqualTo(3.0);
        }
    }

    @Test
    void anUpdateThatLeavesAToastedColumnUnchangedCarriesUnavailableForEveryColumnComputedFromIt() throws Exception {
        TableId docs = TableId.parse("public.docs");
        try (TopologyFixture f = new TopologyFixture("toast")) {
            f.sql("CREATE TABLE docs (id int PRIMARY KEY, title text, body text NOT NULL, \"page-count\" int)",
                "ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL");
            LoadedConfig config = f.config(List.of(docs), """
                  - from: public.docs
                    columns:
                      id: row.id
                      title: row.title
                      body: row.body
                      body_size: size(row.body)
                      pages: row.`page-count`
                """);
            f.startCapture(config);
            f.startTransform(config, new SimpleMeterRegistry());

            // Stored out of line (EXTERNAL, > 2 kB): an update that does not touch it does not carry it in the WAL.
            f.sql("INSERT INTO docs VALUES (1, 'draft', repeat('x', 20000), 12)");
            f.sql("UPDATE docs SET title = 'final' WHERE id = 1");

            List<TopologyFixture.Applied> applied = f.readApply(TopicNames.apply(f.pipeline, docs),
                records -> records.size() >= 2);
            assertThat(applied).hasSize(2);
            Map<String, Object> inserted = applied.get(0).columns();
            assertThat((String) inserted.get("body")).hasSize(20000);
            assertThat(inserted).containsEntry("body_size", 20000L).containsEntry("pages", 12L);

            Map<String, Object> updated = applied.get(1).columns();
            assertThat(updated).containsEntry("title", "final").containsEntry("pages", 12L);
            assertThat(updated.get("body")).isInstanceOf(Unavailable.class);
            assertThat(updated.get("body_size")).isInstanceOf(Unavailable.class);
        }
    }

    /** The last record of each target key, in offset order (one key is always in one partition). */
    private static Map<String, TopologyFixture.Applied> latestByKey(List<TopologyFixture.Applied> applied) {
        Map<String, TopologyFixture.Applied> latest = new LinkedHashMap<>();
        applied.forEach(a -> latest.put(a.keyText(), a));
        return latest;
    }
}
