package dev.turnout.capture;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.turnout.core.config.Secret;
import dev.turnout.core.config.SnapshotMode;
import dev.turnout.core.config.TableId;
import io.debezium.engine.spi.OffsetCommitPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Capture in a process of its own, for fault tests that kill it with SIGKILL. Arguments: pipeline, JDBC URL, bootstrap,
 * registry URL, tables (comma-separated), and optionally the milliseconds between confirmations to the slot (by default
 * after every batch, as in production). Prints "CAPTURE RUNNING" once started; runs until killed.
 */
public final class CaptureChild {

    private CaptureChild() {
    }

    public static void main(String[] args) throws Exception {
        List<TableId> tables = Arrays.stream(args[4].split(",")).map(TableId::parse).toList();
        CaptureSettings settings = new CaptureSettings(args[0], args[1], "postgres", Secret.of(""), tables,
            SnapshotMode.INITIAL, args[2], Map.of(), args[3], 3, Duration.ofSeconds(1), List.of(), "outbox.{aggregateType}");
        OffsetCommitPolicy slotConfirmation = args.length > 5
            ? OffsetCommitPolicy.periodic(props("offset.flush.interval.ms", args[5])) : OffsetCommitPolicy.always();
        CaptureEngine capture = CaptureEngine.start(settings, new SimpleMeterRegistry(), slotConfirmation);
        System.out.println("CAPTURE RUNNING");
        System.out.flush();
        while (!capture.awaitStop(Duration.ofHours(1))) {
            // Runs until killed, or until capture stops by itself.
        }
        capture.failure().ifPresent(f -> System.out.println("CAPTURE FAILED " + f));
        System.exit(3);
    }

    private static Properties props(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }
}
