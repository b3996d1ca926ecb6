package dev.turnout.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parent's handle on a {@link PipelineProcess}: starts the pipeline JVM on this JVM's class path, speaks its
 * line protocol and stops it. {@link #close()} kills the process if it is still running. Not thread-safe, except
 * {@link #whyNotRunning()}.
 */
final class PipelineChild implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final String END = "\u0000end";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile String failure;

    private PipelineChild(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "bench-pipeline-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the pipeline JVM with {@code heap} as -Xmx and the extra JVM arguments (with {@code {child}} replaced by a
     * name of this pipeline JVM), and waits for it to report READY.
     *
     * @param parts {@code all} or {@code capture}
     */
    static PipelineChild start(Path config, String parts, Path stateDir, String heap, List<String> jvmArgs)
        throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        // {child} names this pipeline JVM in arguments such as a flight recording's file name, so runs do not overwrite
        // each other's.
        String childName = config.getFileName().toString().replace(".yaml", "") + "-" + parts + "-"
            + SEQUENCE.incrementAndGet();
        jvmArgs.forEach(arg -> command.add(arg.replace("{child}", childName)));
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(PipelineProcess.class.getName());
        command.add(config.toString());
        command.add(parts);
        command.add(stateDir.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PipelineChild child = new PipelineChild(process);
        try {
            child.await("READY", READY_TIMEOUT);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    private void readLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("FAILED ")) {
                    failure = line.substring("FAILED ".length());
                }
                lines.add(line);
            }
        } catch (IOException e) {
            failure = "lost the pipeline's output: " + e.getMessage();
        }
        lines.add(END);
    }

    /** Null while the pipeline runs; otherwise why it stopped. */
    String whyNotRunning() {
        if (failure != null) {
            return failure;
        }
        return process.isAlive() ? null : "the pipeline JVM exited with status " + process.exitValue();
    }

    /** Starts the latency window. */
    void mark() throws IOException {
        send("MARK");
        await("MARKED", Duration.ofSeconds(30));
    }

    /** Closes capture inside the pipeline JVM (capture mode), which keeps running, warm. */
    void stopCapture() throws IOException {
        send("CAPTURE-STOP");
        await("CAPTURE-STOPPED", Duration.ofMinutes(1));
    }

    /** Starts capture again inside the same pipeline JVM and waits until it streams. */
    void startCapture() throws IOException {
        send("CAPTURE-START");
        await("CAPTURE-STARTED", READY_TIMEOUT);
    }

    /** Drains {@code slot} with Debezium alone inside the pipeline JVM, counting rows of {@code topic}. */
    DebeziumAlone.Drain debeziumAlone(String slot, String topic, int rows) throws IOException {
        send("DEBEZIUM-DRAIN " + slot + " " + topic + " " + rows);
        String[] words = await("DEBEZIUM-DRAINED ", Duration.ofMinutes(11)).split(" ");
        return new DebeziumAlone.Drain(Double.parseDouble(words[1]), Double.parseDouble(words[2]));
    }

    /** Stops the pipeline and returns what it measured. */
    PipelineProcess.Result stop() throws IOException {
        send("STOP");
        String line = await("RESULT ", Duration.ofMinutes(1));
        PipelineProcess.Result result = new ObjectMapper().readValue(line.substring("RESULT ".length()),
            PipelineProcess.Result.class);
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    private void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    private String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("The pipeline JVM did not answer " + prefix.strip() + " within "
                        + timeout);
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.startsWith("FAILED ") || line.equals(END)) {
                    throw new IllegalStateException("The pipeline JVM stopped: " + (failure != null ? failure
                        : "it exited before " + prefix.strip()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the pipeline JVM", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
