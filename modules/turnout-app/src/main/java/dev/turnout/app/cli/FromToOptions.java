package dev.turnout.app.cli;

import picocli.CommandLine.Option;

/** {@code --from A --to B}: the source and target clusters, by config name or bootstrap string. */
public final class FromToOptions {

    @Option(names = "--from", required = true, paramLabel = "CLUSTER",
        description = "Source cluster: a name from the config's clusters, or host:port.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "CLUSTER",
        description = "Target cluster: a name from the config's clusters, or host:port.")
    String to;
}
