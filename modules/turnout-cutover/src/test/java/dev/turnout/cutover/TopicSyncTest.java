package dev.turnout.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.turnout.cutover.TopicSyncPlan.Action;
import dev.turnout.cutover.TopicSyncPlan.TopicAction;
import dev.turnout.testkit.KafkaCluster;

class TopicSyncTest {

    static final KafkaCluster A = TwoClusters.a();
    static final KafkaCluster B = TwoClusters.b();

    TopicSync sync() {
        return new TopicSync(TwoClusters.connection(A), TwoClusters.connection(B), Duration.ofSeconds(30));
    }

    @Test
    void syncCreatesMissingTopicsAlikeAndReportsDifferencesWithoutChangingThem() throws Exception {
        A.createTopic("sync-orders", 3, Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "1000",
            "max.message.bytes", "200000"));
        A.createTopic("sync-events", 2, Map.of("retention.ms", "3600000"));
        B.createTopic("sync-events", 2, Map.of("retention.ms", "7200000"));
        TopicSyncPlan plan;
        try (TopicSync sync = sync()) {
            plan = sync.plan(Pattern.compile("sync-(orders|events)"));
            assertThat(plan.topics()).extracting(TopicAction::topic, TopicAction::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sync-events", Action.CONFIG_DIFFERS),
                org.assertj.core.groups.Tuple.tuple("sync-orders", Action.CREATE));
            assertThat(plan.topics().get(0).differences()).singleElement()
                .isEqualTo(new TopicSyncPlan.ConfigDifference("retention.ms", "3600000", "7200000"));
            assertThat(plan.hasDifferences()).isTrue();
            sync.execute(plan);
        }
        try (Admin admin = B.admin()) {
            assertThat(admin.describeTopics(List.of("sync-orders")).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("sync-orders").partitions()).hasSize(3);
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "sync-orders")))
                .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("min.compaction.lag.ms").value()).isEqualTo("1000");
            assertThat(config.get("max.message.bytes").value()).isEqualTo("200000");
            Config events = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "sync-events")))
                .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(events.get("retention.ms").value()).as("differences are reported, not changed").isEqualTo("7200000");
        }
        try (TopicSync sync = sync()) {
            assertThat(sync.plan(Pattern.compile("sync-orders")).topics()).extracting(TopicAction::action)
                .containsExactly(Action.IN_SYNC);
        }
    }

    @Test
    void aPartitionCountMismatchIsAnErrorAndNothingIsCreated() {
        A.createTopic("mismatch-a", 4, Map.of());
        B.createTopic("mismatch-a", 2, Map.of());
        A.createTopic("mismatch-new", 1, Map.of());
        try (TopicSync sync = sync()) {
            TopicSyncPlan plan = sync.plan(Pattern.compile("mismatch-.*"));
            assertThat(plan.hasPartitionMismatch()).isTrue();
            assertThatThrownBy(() -> sync.execute(plan))
                .isInstanceOf(CutoverException.class)
                .hasMessageContaining("mismatch-a (4 on the source, 2 on the target)")
                .hasMessageContaining("nothing was created");
            assertThat(sync.plan(Pattern.compile("mismatch-new")).topics().get(0).action()).isEqualTo(Action.CREATE);
        }
    }
}
