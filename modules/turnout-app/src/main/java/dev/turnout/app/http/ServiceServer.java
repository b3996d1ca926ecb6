package dev.turnout.app.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import dev.turnout.core.health.Parts;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The HTTP server of the service port: {@code /metrics}, {@code /health/live} and {@code /health/ready}, nothing else.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} (module {@code jdk.httpserver}, in every JDK and JRE), as the
 * embedded schema registry is: three read-only GET endpoints with small bodies, scraped a few times a minute, need no
 * more, and it adds no dependency. Prometheus's own Java exporter server is built on it too.
 *
 * <p>Threads: two daemon request threads. {@link #close()} stops listening at once and waits briefly for them.
 */
public final class ServiceServer implements AutoCloseable {

    private static final String NODELAY = "sun.net.httpserver.nodelay";
    private static final AtomicInteger THREADS = new AtomicInteger();

    static {
        // The JDK server writes headers and body as two TCP segments; with Nagle's algorithm a scrape would wait for the
        // client's delayed ACK (about 40 ms). Read once per JVM, so set before the first server, unless chosen otherwise.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private ServiceServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code address} (port 0: any free port). Throws {@link ServiceBindException} naming the address when it
     * cannot.
     */
    public static ServiceServer start(InetSocketAddress address, PrometheusMeterRegistry meters, Parts parts) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new ServiceBindException("Cannot serve /metrics and /health on " + ServiceAddress.format(address) + ": "
                + e.getMessage() + "; choose a free host:port (service.bind; for the demo, --service-bind)", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "turnout-service-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", new MetricsHandler(meters));
        server.createContext("/health/live", new HealthHandler(parts, HealthHandler.Probe.LIVE));
        server.createContext("/health/ready", new HealthHandler(parts, HealthHandler.Probe.READY));
        server.createContext("/", new NotFoundHandler());
        server.start();
        return new ServiceServer(server, executor);
    }

    /** The address actually listened on (the chosen port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port}, with a wildcard address shown as 127.0.0.1 so the URL works from this host. */
    public URI url() {
        return URI.create("http://" + ServiceAddress.reachable(address()));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
