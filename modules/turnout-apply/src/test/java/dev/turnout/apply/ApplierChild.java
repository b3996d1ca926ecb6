package dev.turnout.apply;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.turnout.core.config.Secret;
import dev.turnout.core.config.TableId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The applier in a process of its own, for fault tests that kill it with SIGKILL. Arguments: pipeline, target JDBC URL,
 * bootstrap, registry URL, target tables (comma-separated), batch size. Prints "APPLIER RUNNING" once started; runs until
 * killed. Its consumer has a static group member id, so a restarted child takes over the partitions at once instead
 * of waiting for the killed one's session to time out.
 */
public final class ApplierChild {

    private ApplierChild() {
    }

    public static void main(String[] args) throws Exception {
        List<TableId> tables = Arrays.stream(args[4].split(",")).map(TableId::parse).toList();
        ApplierSettings settings = new ApplierSettings(args[0], args[1], "postgres", Secret.of(""), tables, args[2],
            Map.of("group.instance.id", "applier-child"), args[3], Integer.parseInt(args[5]), 3, Duration.ofHours(1),
            Duration.ofMinutes(1));
        Applier applier = Applier.start(settings, new SimpleMeterRegistry());
        System.out.println("APPLIER RUNNING");
        System.out.flush();
        while (!applier.awaitStop(Duration.ofHours(1))) {
            // Runs until killed, or until the applier stops by itself.
        }
        applier.failure().ifPresent(f -> System.out.println("APPLIER FAILED " + f));
        System.exit(3);
    }
}
