package dev.turnout.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.turnout.core.TopicNames;

/**
 * End to end, latency and pipeline heap, on one Turnout pipeline (capture, transform and apply in a pipeline JVM of
 * their own; the users table copied as is, no mapping) and then on PostgreSQL's native logical replication between the
 * same two servers:
 * <ol>
 *   <li>bulk: rows in fixed-size transactions; rows/s from just before the first source transaction to the first poll
 *   that sees the target equal to the source (row count and a hash of every row);</li>
 *   <li>OLTP: single-row transactions from several writers, mixed insert/update/delete; changes/s, measured alike;</li>
 *   <li>latency (Turnout only): a writer paced at a steady rate; percentiles of the applier's
 *   {@code turnout.apply.visible.latency} timer (source commit time to target commit, per change) over that phase;</li>
 *   <li>heap: the pipeline JVM's peak heap over all three phases, from GC notifications.</li>
 * </ol>
 * A warm-up load (bulk and OLTP, {@link BenchSizes#warmUpRows}) is replicated before anything is timed, on both
 * replications alike, so start-up, first-use and just-in-time compilation costs are not in the figures: a long-running
 * pipeline pays them once, and a cold JVM spent much of a short measured phase compiling.
 */
final class EndToEndScenario implements Scenario {

    private static final long OLTP_FIRST_ID = 10_000_000L;
    private static final long LATENCY_FIRST_ID = 20_000_000L;
    private static final long WARM_UP_FIRST_ID = 30_000_000L;
    private static final long WARM_UP_OLTP_FIRST_ID = 40_000_000L;
    private static final int LATENCY_TRANSACTION_ROWS = 10;

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public List<Figure> run(BenchEnvironment env) throws Exception {
        BenchSizes sizes = env.sizes();
        List<Figure> figures = new ArrayList<>();

        String pipeline = "bench_e2e";
        String database = "e2e_turnout";
        env.createSource(database);
        env.target().createDatabase(database);
        Path config = env.pipelineConfig(pipeline, database, database);
        TargetSchema.apply(config);
        double bulkTurnout;
        double oltpTurnout;
        PipelineProcess.Result result;
        long latencyRows;
        double latencyRate;
        try (PipelineChild pipelineJvm = env.startPipeline(config, "all");
             Connection source = env.source().connect(database); Connection target = env.target().connect(database)) {
            Workloads writes = new Workloads(env.source().jdbcUrl(database));
            Phases phases = new Phases(source, target, sizes.visibilityTimeout(), pipelineJvm::whyNotRunning);
            phases.warmUp(writes, sizes);
            bulkTurnout = phases.rate(sizes.bulkRows(),
                () -> writes.bulkLoad(1, sizes.bulkRows(), sizes.bulkTransactionRows()));
            oltpTurnout = phases.rate(sizes.oltpOperations(),
                () -> writes.oltp(OLTP_FIRST_ID, sizes.oltpOperations(), sizes.oltpWriters()));
            pipelineJvm.mark();
            long started = System.nanoTime();
            latencyRows = writes.paced(LATENCY_FIRST_ID, sizes.latencyRate(), sizes.latencyDuration(),
                LATENCY_TRANSACTION_ROWS);
            latencyRate = latencyRows / seconds(System.nanoTime() - started);
            Visibility.awaitSame(source, target, sizes.visibilityTimeout(), pipelineJvm::whyNotRunning);
            result = pipelineJvm.stop();
        } finally {
            env.source().dropReplicationSlots(TopicNames.slot(pipeline));
        }

        String nativeDb = "e2e_native";
        env.createSource(nativeDb);
        double bulkNative;
        double oltpNative;
        try (NativeReplication replication = NativeReplication.start(env.source(), nativeDb, env.target(), nativeDb,
                "bench_native");
             Connection source = env.source().connect(nativeDb); Connection target = env.target().connect(nativeDb)) {
            Workloads writes = new Workloads(env.source().jdbcUrl(nativeDb));
            Phases phases = new Phases(source, target, sizes.visibilityTimeout(), replication::whyNotRunning);
            phases.warmUp(writes, sizes);
            bulkNative = phases.rate(sizes.bulkRows(),
                () -> writes.bulkLoad(1, sizes.bulkRows(), sizes.bulkTransactionRows()));
            oltpNative = phases.rate(sizes.oltpOperations(),
                () -> writes.oltp(OLTP_FIRST_ID, sizes.oltpOperations(), sizes.oltpWriters()));
        }

        String bulk = sizes.bulkRows() + " rows in " + sizes.bulkTransactionRows() + "-row transactions";
        String oltp = sizes.oltpOperations() + " single-row transactions, " + sizes.oltpWriters()
            + " writers, 50% insert / 35% update / 15% delete";
        figures.add(Figure.of("e2e", "bulk.turnout", bulkTurnout, "rows/s", bulk + "; first commit to target equal"));
        figures.add(Figure.of("e2e", "bulk.native", bulkNative, "rows/s", bulk + "; PostgreSQL publication/subscription"));
        figures.add(Figure.atLeast("e2e", "bulk.ratio", bulkTurnout / bulkNative, "x", 0.5, "Turnout / native"));
        figures.add(Figure.of("e2e", "oltp.turnout", oltpTurnout, "rows/s", oltp));
        figures.add(Figure.of("e2e", "oltp.native", oltpNative, "rows/s", oltp + "; native"));
        figures.add(Figure.atLeast("e2e", "oltp.ratio", oltpTurnout / oltpNative, "x", 0.5, "Turnout / native"));

        String latency = latencyRows + " rows at " + Math.round(latencyRate) + " rows/s (" + LATENCY_TRANSACTION_ROWS
            + "-row transactions); turnout.apply.visible.latency over " + result.latencyCount() + " changes";
        figures.add(Figure.of("latency", "rate", latencyRate, "rows/s", "achieved rate of the paced writer (goal "
            + sizes.latencyRate() + ")"));
        figures.add(Figure.of("latency", "p50", result.latencyP50(), "ms", latency));
        figures.add(Figure.of("latency", "p95", result.latencyP95(), "ms", latency));
        figures.add(Figure.atMost("latency", "p99", result.latencyP99(), "ms", 250, latency));

        figures.add(Figure.atMost("heap", "pipeline.peak", mib(result.peakHeapBytes()), "MiB", 512,
            "heap in use before a GC, max over bulk+OLTP+latency; -Xmx" + env.pipelineHeap()));
        figures.add(Figure.of("heap", "pipeline.live", mib(result.liveHeapBytes()), "MiB",
            "largest heap still in use after a GC"));
        return figures;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A workload phase: throws what the writers throw. */
    @FunctionalInterface
    interface Writes {
        void run() throws Exception;
    }

    /** Times workload phases against one replication (Turnout's or native) between one source and target database. */
    private record Phases(Connection source, Connection target, Duration timeout, Supplier<String> whyNotRunning) {

        void warmUp(Workloads writes, BenchSizes sizes) throws Exception {
            writes.bulkLoad(WARM_UP_FIRST_ID, sizes.warmUpRows(), sizes.bulkTransactionRows());
            writes.oltp(WARM_UP_OLTP_FIRST_ID, sizes.warmUpRows() / 4, sizes.oltpWriters());
            Visibility.awaitSame(source, target, timeout, whyNotRunning);
        }

        double rate(long rows, Writes writes) throws Exception {
            long started = System.nanoTime();
            writes.run();
            long visible = Visibility.awaitSame(source, target, timeout, whyNotRunning);
            return rows / seconds(visible - started);
        }
    }
}
