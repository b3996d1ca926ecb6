package dev.turnout.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout-bench}: starts embedded Kafka and two PostgreSQL servers, runs the scenarios, prints a table and writes
 * {@code bench-results.json}. Exit status 0 when every scenario ran (goals missed or not), 3 when one failed.
 */
@Command(name = "turnout-bench", mixinStandardHelpOptions = true,
    description = "Run Turnout's benchmarks on embedded Kafka and PostgreSQL; print a table and write JSON.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--smoke", description = "Tiny sizes: checks that every scenario works, figures mean nothing.")
    boolean smoke;

    @Option(names = "--out", defaultValue = "bench-results.json", paramLabel = "FILE",
        description = "Where to write the JSON results. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--only", paramLabel = "SCENARIO", split = ",",
        description = "Run only these scenarios: e2e (also latency and heap), capture, verify, translation.")
    List<String> only = new ArrayList<>();

    @Option(names = "--pipeline-heap", defaultValue = "512m", paramLabel = "SIZE",
        description = "-Xmx of the pipeline JVM. Default: ${DEFAULT-VALUE} (the issue's heap goal).")
    String pipelineHeap;

    @Option(names = "--pipeline-jvm-arg", paramLabel = "ARG",
        description = "Extra JVM argument of the pipeline JVMs; {child} names each, e.g. "
            + "-XX:StartFlightRecording=filename=pipeline-{child}.jfr.")
    List<String> pipelineJvmArgs = new ArrayList<>();

    @Option(names = "--broker-config", paramLabel = "KEY=VALUE",
        description = "A setting of the embedded Kafka broker (repeatable), e.g. "
            + "add.partitions.to.txn.retry.backoff.ms=2.")
    Map<String, String> brokerConfig = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        BenchReport report = new BenchReport(smoke, pipelineHeap, brokerConfig);
        BenchSizes sizes = smoke ? BenchSizes.smoke() : BenchSizes.full();
        stdout.println("turnout-bench: starting embedded Kafka and two PostgreSQL servers (loopback only)...");
        stdout.flush();
        try (BenchEnvironment env = BenchEnvironment.start(sizes, pipelineHeap, pipelineJvmArgs, brokerConfig)) {
            BenchSuite.run(env, BenchSuite.defaultScenarios(), new LinkedHashSet<>(only), report, stdout);
        }
        stdout.println();
        report.print(stdout);
        report.write(out);
        stdout.println("Results written to " + out.toAbsolutePath());
        stdout.flush();
        return report.failures().isEmpty() ? 0 : 3;
    }
}
