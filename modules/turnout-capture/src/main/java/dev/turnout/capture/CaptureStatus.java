package dev.turnout.capture;

import java.time.Duration;
import java.util.Optional;

/**
 * A moment's view of a running capture.
 *
 * @param events          changes written to Kafka since start (committed transactions only)
 * @param eventsPerSecond rate over the last status interval
 * @param lastLsn         the source position of the last committed change, if any
 * @param lag             now minus the source commit time of the last committed change
 * @param snapshotRows    rows read by the running or last snapshot
 * @param snapshotTotal   estimated rows to snapshot ({@code pg_class.reltuples}), 0 when unknown
 * @param retainedWalBytes WAL the slot holds back from removal
 */
public record CaptureStatus(long events, double eventsPerSecond, Optional<String> lastLsn, Optional<Duration> lag,
                            long snapshotRows, long snapshotTotal, long retainedWalBytes) {

    /** One line for a terminal. */
    public String line() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("events %d (%.0f/s)", events, eventsPerSecond));
        sb.append(" | lsn ").append(lastLsn.orElse("-"));
        sb.append(" | lag ").append(lag.map(d -> d.toMillis() + " ms").orElse("-"));
        if (snapshotTotal > 0 || snapshotRows > 0) {
            sb.append(String.format(" | snapshot %d/%d", snapshotRows, Math.max(snapshotTotal, snapshotRows)));
        }
        sb.append(" | slot retains ").append(retainedWalBytes / 1024).append(" KiB");
        return sb.toString();
    }
}
