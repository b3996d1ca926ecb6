package dev.turnout.cutover.internal;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import dev.turnout.cutover.ClusterConnection;

/**
 * One cluster as the offset tools see it: its clients ({@link KafkaAccess}), how its records are fingerprinted (with its
 * schema registry, if configured), and a reader for record windows. Owns all three; {@link #close()} closes them.
 * Not thread-safe.
 */
public final class ClusterSession implements AutoCloseable {

    private final KafkaAccess access;
    private final Fingerprinter fingerprinter;
    private PartitionReader reader;

    public ClusterSession(ClusterConnection cluster, Duration timeout) {
        this(new KafkaAccess(cluster, timeout), new Fingerprinter(ValueNormalizer.forRegistry(cluster.registryProperties())));
    }

    public ClusterSession(KafkaAccess access, Fingerprinter fingerprinter) {
        this.access = access;
        this.fingerprinter = fingerprinter;
    }

    public KafkaAccess access() {
        return access;
    }

    public Fingerprinter fingerprinter() {
        return fingerprinter;
    }

    /** Reads windows of committed records, summarised. */
    public Map<TopicPartition, PartitionReader.Window<LogRecord>> read(
            Map<TopicPartition, PartitionReader.Spec<LogRecord>> specs) {
        return reader().read(specs, fingerprinter::summarize);
    }

    public PartitionReader reader() {
        if (reader == null) {
            access.clusterId();
            reader = new PartitionReader(access);
        }
        return reader;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
        fingerprinter.close();
        access.close();
    }
}
