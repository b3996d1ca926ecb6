package dev.turnout.app.http;

import java.net.InetSocketAddress;
import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.health.Parts;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every long-running verb serves on its service port: the meter registry its parts register into, the
 * {@link Parts} they report their health to, and the HTTP server for {@code /metrics}, {@code /health/live} and
 * {@code /health/ready}.
 *
 * <pre>{@code
 * try (ServiceEndpoints service = ServiceEndpoints.start(config.service().bind(), config.pipeline())) {
 *     service.parts().expect(Part.CAPTURE);                       // not ready until it runs
 *     try (CaptureEngine capture = CaptureEngine.start(settings, service.meters())) {
 *         service.parts().register(Part.CAPTURE, capture);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops the server first, then closes the registry; close the parts before it (they may still
 * update their meters while stopping).
 */
public final class ServiceEndpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceEndpoints.class);

    private final ServiceMetrics metrics;
    private final Parts parts;
    private final ServiceServer server;

    private ServiceEndpoints(ServiceMetrics metrics, Parts parts, ServiceServer server) {
        this.metrics = metrics;
        this.parts = parts;
        this.server = server;
    }

    /** Starts the endpoints on {@code bind} ({@code host:port}); every meter is tagged with the pipeline's name. */
    public static ServiceEndpoints start(String bind, String pipeline) {
        return start(ServiceAddress.parse(bind), pipeline);
    }

    /** As {@link #start(String, String)}, on a socket address (port 0: any free port). */
    public static ServiceEndpoints start(InetSocketAddress bind, String pipeline) {
        ServiceMetrics metrics = ServiceMetrics.create(pipeline);
        Parts parts = new Parts(metrics.registry());
        ServiceServer server;
        try {
            server = ServiceServer.start(bind, metrics.registry(), parts);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        InetSocketAddress bound = server.address();
        if (ServiceAddress.isLoopback(bound)) {
            log.info("Serving /metrics and /health on {}", server.url());
        } else {
            log.info("Serving /metrics and /health on {} (reachable from other hosts; these endpoints show no data rows)",
                ServiceAddress.format(bound));
        }
        return new ServiceEndpoints(metrics, parts, server);
    }

    /** The registry every part of this process registers its meters into. */
    public MeterRegistry meters() {
        return metrics.registry();
    }

    /** Where the parts of this process report their health. */
    public Parts parts() {
        return parts;
    }

    /** {@code http://host:port} of the endpoints, reachable from this host. */
    public URI url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
    }
}
