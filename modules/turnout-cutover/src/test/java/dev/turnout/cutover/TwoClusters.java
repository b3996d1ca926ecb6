package dev.turnout.cutover;

import java.util.Map;

import dev.turnout.testkit.KafkaCluster;

/**
 * The pair of clusters this module's tests share (a "Redpanda" source and a "Kafka" target; both are Apache Kafka in
 * KRaft mode, which speaks the same protocol). Started on first use, stopped when the JVM exits. Tests isolate themselves
 * by topic and group names; a test that stops a cluster starts its own.
 */
final class TwoClusters {

    private TwoClusters() {
    }

    static KafkaCluster a() {
        return Holder.A;
    }

    static KafkaCluster b() {
        return Holder.B;
    }

    static ClusterConnection connection(KafkaCluster cluster) {
        return new ClusterConnection(cluster.name(), cluster.bootstrap(), Map.of());
    }

    /** A cluster whose retention and compaction act within seconds, so tests can wait for them. */
    static KafkaCluster start(String name) {
        return KafkaCluster.builder().name(name)
            .brokerProperty("log.retention.check.interval.ms", "500")
            .brokerProperty("log.initial.task.delay.ms", "0")
            .brokerProperty("log.cleaner.backoff.ms", "200")
            .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
            .start();
    }

    private static final class Holder {
        static final KafkaCluster A = start("redpanda");
        static final KafkaCluster B = start("kafka");

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                A.close();
                B.close();
            }, "turnout-test-clusters-stop"));
        }
    }
}
