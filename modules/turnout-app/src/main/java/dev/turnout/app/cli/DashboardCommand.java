package dev.turnout.app.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.turnout.app.dashboard.Dashboard;
import dev.turnout.app.http.ServiceEndpoints;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.health.Part;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnout dashboard -c FILE}: serves the reconciliation dashboard alone until Ctrl-C, reading the pipeline's
 * reconcile topics. Serves {@code /metrics} and {@code /health} on {@code service.bind} as well. Exits 2 when the
 * dashboard would be reachable from other hosts without a token.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "Serve the reconciliation dashboard (per-table status, trend, differing keys) until Ctrl-C.")
final class DashboardCommand implements Callable<Integer> {

    static final String TOKEN_ENV = "TURNOUT_DASHBOARD_TOKEN";

    @Mixin
    ConfigFileOption config;

    @Option(names = "--bind", paramLabel = "HOST:PORT",
        description = "Address to serve on instead of dashboard.bind (default 127.0.0.1:8080).")
    String bind;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:" + TOKEN_ENV + "}",
        description = "Secret every request must carry (open /?token=TOKEN once, or send Authorization: Bearer TOKEN). "
            + "Required when the address is not loopback. Default: $" + TOKEN_ENV + ".")
    String token;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TurnoutConfig cfg = config.load().config();
        String address = bind != null ? bind : cfg.dashboard().bind();
        PrintWriter out = spec.commandLine().getOut();
        Dashboard.checkAccess(address, Optional.ofNullable(token));
        try (StopSignal stop = new StopSignal("turnout-dashboard");
             ServiceEndpoints service = ServiceEndpoints.start(cfg.service().bind(), cfg.pipeline());
             SchemaRegistryEndpoint registry = SchemaRegistryEndpoint.forConfig(cfg, service.meters())) {
            service.parts().expect(Part.DASHBOARD);
            try (Dashboard dashboard = Dashboard.start(address, Optional.ofNullable(token), cfg, registry.url())) {
                service.parts().register(Part.DASHBOARD, dashboard);
                out.println("Dashboard: " + dashboard.url() + (token != null ? " (open it with ?token=TOKEN once)" : ""));
                out.flush();
                while (!stop.awaitRequest(java.time.Duration.ofSeconds(1))) {
                    if (!dashboard.partStatus().isRunning()) {
                        throw new DashboardStoppedException(dashboard.partStatus().detail().orElse("no reason given"));
                    }
                }
            }
        }
        return ExitCode.OK;
    }

    /** The dashboard's reader stopped by itself; the message says why. */
    static final class DashboardStoppedException extends RuntimeException {
        DashboardStoppedException(String reason) {
            super("The dashboard stopped reading the reconcile topics: " + reason);
        }
    }
}
