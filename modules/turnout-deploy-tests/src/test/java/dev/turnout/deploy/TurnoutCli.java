package dev.turnout.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.turnout.app.Main;

/**
 * The {@code turnout} CLI as a process of its own, with exactly the environment given (so a config's {@code ${VAR}}
 * references see what a container would).
 */
final class TurnoutCli {

    /** Exit code and output of one run. */
    record Result(int exit, String stdout, String stderr) {
    }

    private TurnoutCli() {
    }

    static Result run(Map<String, String> env, Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "-Xmx256m", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> !"PATH".equals(k) && !"HOME".equals(k) && !"JAVA_HOME".equals(k));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(workDir, "turnout", ".out");
        Path err = Files.createTempFile(workDir, "turnout", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process process = pb.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("turnout " + String.join(" ", args) + " did not exit within 2 minutes");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }
}
