package dev.turnout.testkit;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The smoke test against Testcontainers' Kafka and PostgreSQL, for users with a Docker engine. Without one, JUnit reports
 * the class as skipped ({@code disabledWithoutDocker}); it never fails for the lack of Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerInfrastructureSmokeTest extends InfrastructureSmoke {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Container
    static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:17-alpine")
        .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=8", "-c", "max_wal_senders=8");

    @Override
    String kafkaBootstrap() {
        return KAFKA.getBootstrapServers();
    }

    @Override
    String jdbcUrl() {
        return POSTGRES.getJdbcUrl();
    }

    @Override
    String user() {
        return POSTGRES.getUsername();
    }

    @Override
    String password() {
        return POSTGRES.getPassword();
    }
}
