package dev.turnout.testkit;

/**
 * One Kafka cluster and one PostgreSQL server per JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Tests share them to keep the suite fast and isolate themselves by topic prefix, database name and slot name. A test
 * that stops or restarts a component must start its own instead, so that it does not disturb the others.
 */
public final class SharedInfrastructure {

    private SharedInfrastructure() {
    }

    /** The JVM's shared Kafka cluster. */
    public static KafkaCluster kafka() {
        return KafkaHolder.KAFKA;
    }

    /** The JVM's shared PostgreSQL server. */
    public static Postgres postgres() {
        return PostgresHolder.POSTGRES;
    }

    // Holder classes: started lazily, at most once, without locking on every call.
    private static final class KafkaHolder {
        static final KafkaCluster KAFKA = KafkaCluster.builder().name("shared").start();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(KAFKA::close, "turnout-shared-kafka-stop"));
        }
    }

    private static final class PostgresHolder {
        static final Postgres POSTGRES = Postgres.start();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(POSTGRES::close, "turnout-shared-postgres-stop"));
        }
    }
}
