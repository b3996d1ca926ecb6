package dev.turnout.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnout.apply.Applier;
import dev.turnout.apply.ApplierSettings;
import dev.turnout.capture.CaptureEngine;
import dev.turnout.capture.CaptureSettings;
import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.registry.embedded.EmbeddedSchemaRegistry;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;
import dev.turnout.transform.stream.TransformService;
import dev.turnout.transform.stream.TransformSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The pipeline JVM of the benchmark: the parts {@code turnout run} starts (embedded schema registry, capture, and with
 * {@code all} also transform and apply) for one config, in a process of its own so its heap is the pipeline's alone (the
 * brokers and the benchmark's writers live in the parent).
 *
 * <p>Arguments: {@code CONFIG_FILE all|capture STATE_DIR}. Protocol on stdin/stdout, one line each: it prints
 * {@code READY} once every part runs; {@code MARK} starts the latency window and answers {@code MARKED};
 * with {@code capture}, {@code CAPTURE-STOP} and {@code CAPTURE-START} stop and restart capture, and
 * {@code DEBEZIUM-DRAIN SLOT TOPIC ROWS} drains a slot with Debezium alone ({@link DebeziumAlone}) and answers
 * {@code DEBEZIUM-DRAINED <rows per second> <CPU microseconds per row>}; {@code STOP}
 * (or end of input) answers {@code RESULT <json>} with {@link Result}, then stops the parts and exits. A part failing at
 * any time prints {@code FAILED <reason>} and exits with status 3. Logs go to stderr.
 */
public final class PipelineProcess {

    /** What the pipeline JVM reports when stopped; heap in bytes, latency in ms since {@code MARK}. */
    public record Result(long peakHeapBytes, long liveHeapBytes, long maxHeapBytes, double latencyP50, double latencyP95,
                         double latencyP99, long latencyCount) {
    }

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DEBEZIUM_DRAIN_TIMEOUT = Duration.ofMinutes(10);

    private PipelineProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        HeapWatch heap = HeapWatch.start();
        if (args.length != 3 || !(args[1].equals("all") || args[1].equals("capture"))) {
            out.println("FAILED usage: PipelineProcess CONFIG_FILE all|capture STATE_DIR");
            System.exit(2);
        }
        LoadedConfig loaded = ConfigLoader.load(Path.of(args[0]));
        TurnoutConfig config = loaded.config();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LatencyHistogram latency = LatencyHistogram.install(meters);
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
                EmbeddedSchemaRegistry.Settings.of(config.kafka().bootstrap()), meters);
            parts.push(registry);
            CaptureSettings captureSettings = CaptureSettings.from(config, registry.url());
            AtomicReference<CaptureEngine> capture = new AtomicReference<>(startCapture(captureSettings, meters));
            parts.push(() -> capture.get().close());
            if (args[1].equals("all")) {
                Mappings mappings;
                try (Connection source = DriverManager.getConnection(config.source().url(), config.source().user(),
                    config.source().password().reveal())) {
                    mappings = Mappings.compile(loaded, new CatalogReader(source));
                }
                TransformService transform = new TransformService(
                    TransformSettings.from(config, registry.url()).withStateDir(Path.of(args[2])), mappings, meters);
                parts.push(transform);
                transform.start();
                if (!transform.awaitRunning(START_TIMEOUT)) {
                    throw new IllegalStateException("transform did not start within " + START_TIMEOUT
                        + transform.failure().map(f -> ": " + f.getMessage()).orElse(""));
                }
                Applier applier = Applier.start(ApplierSettings.from(config, registry.url()), meters);
                parts.push(applier);
                watch(out, () -> transform.failure().map(Throwable::toString)
                    .or(() -> applier.failure().map(Throwable::toString)));
            }
            watch(out, () -> capture.get().failure().map(Throwable::toString));
            out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("STOP")) {
                if (line.equals("MARK")) {
                    latency.mark();
                    out.println("MARKED");
                } else if (line.equals("CAPTURE-STOP") && args[1].equals("capture")) {
                    capture.get().close();
                    out.println("CAPTURE-STOPPED");
                } else if (line.equals("CAPTURE-START") && args[1].equals("capture")) {
                    // Its own meters: the stopped capture's gauges stay registered in the first registry.
                    capture.set(startCapture(captureSettings, new SimpleMeterRegistry()));
                    out.println("CAPTURE-STARTED");
                } else if (line.startsWith("DEBEZIUM-DRAIN ") && args[1].equals("capture")) {
                    String[] words = line.split(" ");
                    DebeziumAlone.Drain drain = DebeziumAlone.drain(captureSettings, words[1], words[2],
                        Integer.parseInt(words[3]), DEBEZIUM_DRAIN_TIMEOUT);
                    out.println("DEBEZIUM-DRAINED " + drain.rowsPerSecond() + " " + drain.cpuMicrosPerRow());
                }
            }
            LatencyHistogram.Percentiles p = latency.sinceMark();
            HeapWatch.Peak peak = heap.peak();
            out.println("RESULT " + new ObjectMapper().writeValueAsString(new Result(peak.used(), peak.liveAfterGc(),
                peak.max(), p.p50(), p.p95(), p.p99(), p.count())));
        } catch (Exception | Error e) {
            out.println("FAILED " + e);
            closeAll(parts);
            System.exit(3);
        }
        closeAll(parts);
        System.exit(0);
    }

    private static CaptureEngine startCapture(CaptureSettings settings, SimpleMeterRegistry meters)
        throws InterruptedException {
        CaptureEngine capture = CaptureEngine.start(settings, meters);
        if (!capture.awaitStreaming(START_TIMEOUT)) {
            capture.close();
            throw new IllegalStateException("capture did not start streaming within " + START_TIMEOUT
                + capture.failure().map(f -> ": " + f.getMessage()).orElse(""));
        }
        return capture;
    }

    /** Exits with status 3 as soon as {@code failure} says a part stopped, so the parent never waits on a dead pipeline. */
    private static void watch(PrintStream out, Supplier<Optional<String>> failure) {
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-pipeline-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(() -> failure.get().ifPresent(why -> {
            out.println("FAILED " + why);
            Runtime.getRuntime().halt(3);
        }), 1, 1, TimeUnit.SECONDS);
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                System.err.println("Closing a pipeline part failed: " + e);
            }
        }
    }
}
