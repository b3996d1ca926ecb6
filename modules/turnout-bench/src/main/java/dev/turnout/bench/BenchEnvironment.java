package dev.turnout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import dev.turnout.testkit.KafkaCluster;
import dev.turnout.testkit.Postgres;

/**
 * What the scenarios share: one Kafka cluster, a source and a target PostgreSQL server (two servers, so native logical
 * replication runs between them as it would in production), a working directory, the sizes and the pipeline JVM's
 * options. Scenarios isolate themselves by database, pipeline and slot names. {@link #close()} stops everything and
 * deletes the working directory.
 *
 * @param pipelineHeap    -Xmx of the pipeline JVM
 * @param pipelineJvmArgs extra JVM arguments of the pipeline JVM (e.g. a flight recording)
 */
record BenchEnvironment(KafkaCluster kafka, Postgres source, Postgres target, Path workDir, BenchSizes sizes,
                        String pipelineHeap, List<String> pipelineJvmArgs) implements AutoCloseable {

    /**
     * Commits as production servers do. The test kit's {@code synchronous_commit=off} leaves WAL to the WAL writer,
     * which flushes every {@code wal_writer_delay} (200 ms), and logical decoding sends only flushed WAL: every change
     * reached capture (and a native subscriber) up to 200 ms late, which the latency figure then blamed on Turnout.
     * {@code fsync} stays off as in the tests: the disk's flush time is not what is measured.
     */
    static final Map<String, String> SERVER_CONFIG = Map.of("synchronous_commit", "on");

    static BenchEnvironment start(BenchSizes sizes, String pipelineHeap, List<String> pipelineJvmArgs,
                                  Map<String, String> brokerConfig) throws IOException {
        Path workDir = Files.createTempDirectory("turnout-bench-");
        KafkaCluster.Builder broker = KafkaCluster.builder().name("bench");
        brokerConfig.forEach(broker::brokerProperty);
        KafkaCluster kafka = broker.start();
        Postgres source = Postgres.start(SERVER_CONFIG);
        Postgres target = Postgres.start(SERVER_CONFIG);
        return new BenchEnvironment(kafka, source, target, workDir, sizes, pipelineHeap, List.copyOf(pipelineJvmArgs));
    }

    /** Creates a source database with the users table. */
    void createSource(String database) throws SQLException {
        source.createDatabase(database);
        try (Connection c = source.connect(database)) {
            UsersTable.create(c);
        }
    }

    /**
     * Writes a pipeline config: source {@code sourceDb}, target {@code targetDb}, the users table copied as is (no
     * mapping: identity), streaming only (the table is empty when capture starts), 4 partitions, the applier's defaults.
     */
    Path pipelineConfig(String pipeline, String sourceDb, String targetDb) throws IOException {
        String yaml = """
            pipeline: %s
            kafka:
              bootstrap: %s
            source:
              url: %s
              user: %s
              tables: [%s]
              snapshot: never
            target:
              url: %s
              user: %s
            capture:
              partitions: %d
            apply:
              batchSize: 500
              parallelism: 4
            """.formatted(pipeline, kafka.bootstrap(), source.jdbcUrl(sourceDb), Postgres.USER, UsersTable.TABLE,
            target.jdbcUrl(targetDb), Postgres.USER, PARTITIONS);
        Path file = workDir.resolve(pipeline + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Partitions of the CDC and apply topics: one per OLTP writer, and what the applier writes at once. */
    static final int PARTITIONS = 4;

    /** Starts the pipeline JVM for a config written by {@link #pipelineConfig}. */
    PipelineChild startPipeline(Path config, String parts) throws IOException {
        Path state = Files.createDirectories(workDir.resolve("streams-" + config.getFileName()));
        return PipelineChild.start(config, parts, state, pipelineHeap, pipelineJvmArgs);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            target.close();
        } finally {
            try {
                source.close();
            } finally {
                kafka.close();
                deleteQuietly(workDir);
            }
        }
    }
}
