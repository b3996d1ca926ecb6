package dev.turnout.app.dashboard;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;

import dev.turnout.app.http.ServiceAddress;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.health.PartHealth;
import dev.turnout.core.health.PartStatus;

/**
 * The reconciliation dashboard of one pipeline: a web page with each target table's status counts and their trend, the
 * keys that do not match with their differing fields, and search by key; built from the compacted reconcile topics
 * (never the databases), which a background reader follows, so the page updates while it is open.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.start(cfg.dashboard().bind(), token, cfg, registry.url())) {
 *     service.parts().register(Part.DASHBOARD, dashboard);
 *     ...
 * }
 * }</pre>
 *
 * <p>Access: the page shows row values, so a bind address other hosts can reach (anything but loopback) requires a
 * token, and {@link #start} refuses without one ({@link DashboardAccessException}). With a token every request must
 * carry it (see {@link TokenFilter}); on loopback a token is optional and enforced when given.
 *
 * <p>Threads: the reader's thread, one trend sampler, two HTTP request threads, all daemons. State lives in memory
 * only: a restarted dashboard reads the topics again from the beginning. {@link #close()} stops all of them.
 */
public final class Dashboard implements PartHealth, AutoCloseable {

    /** How often each table's counts are sampled for the trend. */
    public static final Duration TREND_INTERVAL = Duration.ofSeconds(5);
    /** How many samples the trend keeps: ten minutes at the default interval. */
    public static final int TREND_SAMPLES = 120;

    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    private final HttpServer server;
    private final ExecutorService requests;
    private final ScheduledExecutorService sampler;
    private final ReconcileTopicsReader reader;
    private final ReconcileView view;

    private Dashboard(HttpServer server, ExecutorService requests, ScheduledExecutorService sampler,
                      ReconcileTopicsReader reader, ReconcileView view) {
        this.server = server;
        this.requests = requests;
        this.sampler = sampler;
        this.reader = reader;
        this.view = view;
    }

    /**
     * Starts the dashboard of {@code config}'s pipeline on {@code bind} ({@code host:port}, as {@code dashboard.bind};
     * port 0 picks a free port), reading its reconcile topics from {@code config}'s Kafka with the schemas of the
     * registry at {@code registryUrl}.
     *
     * @param token required when {@code bind} is not a loopback address
     * @throws DashboardAccessException when a token is required and missing, or blank
     * @throws DashboardBindException   when the address cannot be listened on
     */
    public static Dashboard start(String bind, Optional<String> token, TurnoutConfig config, String registryUrl) {
        return start(bind, token, DashboardSource.of(config, registryUrl), TREND_INTERVAL);
    }

    /** As {@link #start(String, Optional, TurnoutConfig, String)}, for a pipeline given without a config (the demo). */
    public static Dashboard start(String bind, Optional<String> token, DashboardSource source) {
        return start(bind, token, source, TREND_INTERVAL);
    }

    /** As {@link #start(String, Optional, DashboardSource)}, sampling the trend every {@code trendInterval}. */
    static Dashboard start(String bind, Optional<String> token, DashboardSource source, Duration trendInterval) {
        Objects.requireNonNull(token, "token");
        checkAccess(bind, token);
        InetSocketAddress address = ServiceAddress.parse(bind);
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new DashboardBindException("Cannot serve the dashboard on " + bind + ": " + e.getMessage()
                + "; choose a free host:port (dashboard.bind; --bind of turnout dashboard, --dashboard-bind of the demo)", e);
        }
        ReconcileView view = new ReconcileView(TREND_SAMPLES);
        ReconcileTopicsReader reader = new ReconcileTopicsReader(source.pipeline(), source.bootstrap(),
            source.kafkaProperties(), source.registryUrl(), view);
        ExecutorService requests = Executors.newFixedThreadPool(2, daemon("turnout-dashboard-http"));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(daemon("turnout-dashboard-trend"));
        server.setExecutor(requests);
        HttpContext api = server.createContext("/api/",
            new ApiHandler(view, source.pipeline(), source.grace(), Clock.systemUTC()));
        HttpContext page = server.createContext("/", new AssetHandler());
        token.ifPresent(t -> {
            TokenFilter filter = new TokenFilter(t);
            api.getFilters().add(filter);
            page.getFilters().add(filter);
        });
        reader.start();
        sampler.scheduleAtFixedRate(() -> view.sample(System.currentTimeMillis()), 0, trendInterval.toMillis(),
            TimeUnit.MILLISECONDS);
        server.start();
        Dashboard dashboard = new Dashboard(server, requests, sampler, reader, view);
        log.info("Dashboard of pipeline '{}' on {}{}", source.pipeline(), dashboard.url(),
            token.isPresent() ? " (token required)" : "");
        return dashboard;
    }

    /**
     * Refuses a blank token, and a bind address other hosts can reach without a token; {@link #start} checks this too,
     * and callers that start other things first can check before they do.
     *
     * @throws DashboardAccessException naming the address and what to do
     */
    public static void checkAccess(String bind, Optional<String> token) {
        InetSocketAddress address = ServiceAddress.parse(bind);
        if (token.isPresent() && token.get().isBlank()) {
            throw new DashboardAccessException("The dashboard token is blank; give a real secret with --token "
                + "(or $TURNOUT_DASHBOARD_TOKEN), or leave it out on a loopback address");
        }
        boolean loopback = address.getAddress() != null && address.getAddress().isLoopbackAddress();
        if (!loopback && token.isEmpty()) {
            throw new DashboardAccessException("The dashboard shows row values and " + bind + " (dashboard.bind) is "
                + "reachable from other hosts: give a token with --token (or $TURNOUT_DASHBOARD_TOKEN), or bind "
                + "127.0.0.1");
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The address listened on (the chosen port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port/}, with a wildcard address shown as 127.0.0.1 so the URL works from this host. */
    public URI url() {
        InetSocketAddress a = address();
        String host = a.getAddress() == null || a.getAddress().isAnyLocalAddress() ? "127.0.0.1"
            : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** Running while the reader runs; failed, with its reason, when the reader stopped on an error. */
    @Override
    public PartStatus partStatus() {
        ReconcileView.ReaderState state = view.reader();
        return "failed".equals(state.state()) ? PartStatus.failed(String.valueOf(state.detail())) : PartStatus.running();
    }

    @Override
    public void close() {
        server.stop(0);
        requests.shutdown();
        sampler.shutdownNow();
        reader.close();
        try {
            requests.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
