package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.turnout.cutover.OffsetTranslator;
import dev.turnout.cutover.PlanVerifier;
import dev.turnout.cutover.TranslationOptions;
import dev.turnout.cutover.TranslationPlan;
import dev.turnout.cutover.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout offsets verify --plan PLAN [--full]}: re-reads both clusters and checks the plan's evidence; with
 * {@code --full} compares the whole unconsumed suffix and prints lost/redelivered per partition. Exit 1 unless all clean.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Re-check a plan's certificate against both clusters; --full compares every unconsumed record.")
final class OffsetsVerifyCommand implements Callable<Integer> {

    @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "A plan written by 'offsets translate'.")
    Path planFile;

    @Option(names = "--full", description = "Compare the whole unconsumed suffix on the source with the target's, record by "
        + "record, and count what would be lost or delivered twice.")
    boolean full;

    @Mixin
    ClusterOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TranslationPlan plan = OffsetTranslator.readPlan(planFile);
        VerificationReport report;
        try (PlanVerifier verifier = new PlanVerifier(
                options.resolveRecorded(plan.source().name(), plan.source().bootstrap()),
                options.resolveRecorded(plan.target().name(), plan.target().bootstrap()),
                TranslationOptions.DEFAULTS.withTimeout(options.timeout()))) {
            report = verifier.verify(plan, full);
        }
        print(spec.commandLine().getOut(), report);
        return report.ok() ? ExitCode.OK : ExitCode.DIFFERENCES;
    }

    static void print(PrintWriter out, VerificationReport report) {
        Table table = report.full()
            ? new Table("TOPIC", "PARTITION", "STATUS", "PLANNED", "NOW", "COMMITTED", "LOST", "REDELIVERED", "ONLY ON TARGET",
                "RESULT")
            : new Table("TOPIC", "PARTITION", "STATUS", "PLANNED", "NOW", "COMMITTED", "RESULT");
        for (VerificationReport.PartitionCheck c : report.partitions()) {
            String result = c.ok() ? "ok" : c.problems().isEmpty() ? "FAILED" : "FAILED: " + String.join("; ", c.problems());
            if (report.full()) {
                table.row(c.topic(), c.partition(), c.status(), c.planned(), c.rederived(), c.committedOnTarget(),
                    c.lost(), c.redelivered(), c.onlyOnTarget(), result);
            } else {
                table.row(c.topic(), c.partition(), c.status(), c.planned(), c.rederived(), c.committedOnTarget(), result);
            }
        }
        table.print(out);
        if (report.full()) {
            report.partitions().forEach(c -> out.println(c.topic() + "-" + c.partition() + ": " + (c.lost() == null
                ? "not compared (" + c.status() + ")" : "lost=" + c.lost() + " redelivered=" + c.redelivered())));
            report.partitions().stream().flatMap(c -> c.lostRecords().stream().map(r -> c.topic() + "-" + c.partition()
                + " lost offset " + r.offset() + (r.recordId() == null ? "" : " turnout.id " + r.recordId())))
                .forEach(out::println);
        }
        out.println(report.ok() ? "Verified: the evidence holds" + (report.full() ? ", nothing lost, nothing redelivered." : ".")
            : "Verification FAILED.");
    }
}
