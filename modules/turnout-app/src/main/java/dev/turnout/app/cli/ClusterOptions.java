package dev.turnout.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.TurnoutConfig.ClusterConfig;
import dev.turnout.cutover.ClusterConnection;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Shared options of the cutover verbs: the optional {@code -c FILE} whose {@code clusters} name the clusters, and the
 * request timeout. {@link #resolve} turns a {@code --from/--to/--cluster} value into a connection: a cluster name from
 * the config (with its client properties), or a {@code host:port[,host:port...]} bootstrap string.
 */
public final class ClusterOptions {

    private static final Pattern BOOTSTRAP = Pattern.compile("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "turnout.yaml whose 'clusters' name the clusters (and give their SASL/TLS client properties).")
    Path config;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
        description = "How long a cluster request may take before the cluster counts as unreachable "
            + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    private Map<String, ClusterConfig> clusters;

    public Duration timeout() {
        return timeout;
    }

    /** The cluster named {@code value} in the config, or the bootstrap string {@code value}. */
    public ClusterConnection resolve(CommandSpec spec, String option, String value) {
        Map<String, ClusterConfig> known = clusters();
        ClusterConfig named = known.get(value);
        if (named != null) {
            return new ClusterConnection(value, named.bootstrap(), named.properties());
        }
        if (BOOTSTRAP.matcher(value).matches()) {
            return ClusterConnection.ofBootstrap(value);
        }
        String hint = config == null ? "no config file given (-c FILE)"
            : "not among the clusters in " + config + " ("
                + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known.keySet()))) + ")";
        throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for " + option + ": '" + value
            + "' is neither a cluster name (" + hint + ") nor a host:port bootstrap");
    }

    /** Resolves a cluster recorded in a plan or snapshot: by name from the config if it is there, else by bootstrap. */
    public ClusterConnection resolveRecorded(String name, String bootstrap) {
        ClusterConfig named = clusters().get(name);
        if (named != null) {
            return new ClusterConnection(name, named.bootstrap(), named.properties());
        }
        return new ClusterConnection(name, bootstrap, Map.of());
    }

    private Map<String, ClusterConfig> clusters() {
        if (clusters == null) {
            clusters = config == null ? Map.of() : ConfigLoader.load(config).config().clusters();
        }
        return clusters;
    }
}
