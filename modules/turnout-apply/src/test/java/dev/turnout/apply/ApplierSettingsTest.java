package dev.turnout.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig;

/** The applier's settings as a config file gives them. */
class ApplierSettingsTest {

    @TempDir
    Path dir;

    @Test
    void aConfigGivesTheTargetTablesTheGroupAndTheApplySection() throws Exception {
        Path file = dir.resolve("turnout.yaml");
        Files.writeString(file, """
            pipeline: shop
            kafka:
              bootstrap: 127.0.0.1:9092
              properties: { security.protocol: PLAINTEXT }
            source:
              url: jdbc:postgresql://127.0.0.1:5432/app
              user: postgres
              tables: [public.users, public.orders]
            target:
              url: jdbc:postgresql://127.0.0.1:5433/app
              user: writer
            mappings:
              - from: public.users
                to: crm.accounts
            apply:
              batchSize: 250
              parallelism: 2
              tombstoneRetention: 2h
            """);
        TurnoutConfig config = ConfigLoader.load(file, Map.of()).config();
        ApplierSettings settings = ApplierSettings.from(config, "http://127.0.0.1:8081");
        assertThat(settings.tables()).containsExactly(TableId.parse("crm.accounts"), TableId.parse("public.orders"));
        assertThat(settings.groupId()).isEqualTo("turnout-shop-apply");
        assertThat(settings.user()).isEqualTo("writer");
        assertThat(settings.kafkaProperties()).containsEntry("security.protocol", "PLAINTEXT");
        assertThat(settings.batchSize()).isEqualTo(250);
        assertThat(settings.parallelism()).isEqualTo(2);
        assertThat(settings.tombstoneRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.tombstoneCleanup()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ApplierSettings.cleanupInterval(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ApplierSettings.cleanupInterval(Duration.ofMinutes(4))).isEqualTo(Duration.ofMinutes(1));
    }
}
