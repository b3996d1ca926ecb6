package dev.turnout.bench;

import java.time.Duration;

/**
 * How big each scenario's workload is. {@link #full()} is the sizes; {@link #smoke()} is tiny, for the test that
 * keeps the suite working.
 *
 * @param bulkRows            rows of the end-to-end bulk load
 * @param bulkTransactionRows rows per transaction of the bulk load
 * @param oltpOperations      single-row transactions of the OLTP variant, over all writers
 * @param oltpWriters         concurrent OLTP writers
 * @param latencyRate         rows per second of the steady writer
 * @param latencyDuration     how long the steady writer runs
 * @param captureRows         rows the capture scenario decodes
 * @param partitions          partitions of the offset-translation topic
 * @param recordsPerPartition records on each of those partitions, on both clusters
 * @param verifyRows          rows of each table the verify scenario compares
 * @param visibilityTimeout   how long to wait for the target to show the last row before the run fails
 * @param warmUpRows          rows replicated (and, in the capture scenario, captured) before anything is timed, so the
 *                            pipeline JVM's just-in-time compiler has compiled the hot paths: a cold JVM spent most of a
 *                            short measured phase compiling (a flight recording showed the C2 thread busy throughout)
 */
public record BenchSizes(int bulkRows, int bulkTransactionRows, int oltpOperations, int oltpWriters, int latencyRate,
                         Duration latencyDuration, int captureRows, int partitions, int recordsPerPartition,
                         int verifyRows, Duration visibilityTimeout, int warmUpRows) {

    public static BenchSizes full() {
        return new BenchSizes(200_000, 1_000, 100_000, 4, 5_000, Duration.ofSeconds(30), 200_000, 1_000, 10,
            1_000_000, Duration.ofMinutes(15), 100_000);
    }

    public static BenchSizes smoke() {
        return new BenchSizes(2_000, 100, 400, 4, 200, Duration.ofSeconds(3), 2_000, 10, 4, 2_000, Duration.ofMinutes(3), 500);
    }
}
