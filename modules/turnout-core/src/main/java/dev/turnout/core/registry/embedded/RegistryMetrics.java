package dev.turnout.core.registry.embedded;

import java.io.IOException;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The registry's meters: {@code turnout.registry.requests} (timer, tags {@code method} and {@code outcome}: success,
 * client_error, server_error) around every HTTP exchange, and {@code turnout.registry.schemas} (the highest schema id,
 * that is how many schemas were ever registered). Runs on the HTTP request threads.
 */
final class RegistryMetrics extends Filter {

    private final MeterRegistry meters;

    private RegistryMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Registers the gauge and returns the filter that times requests. */
    static RegistryMetrics bind(MeterRegistry meters, RegistryState state) {
        Gauge.builder("turnout.registry.schemas", state, RegistryState::maxId)
            .description("Schemas registered (the highest schema id)").register(meters);
        return new RegistryMetrics(meters);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Timer.Sample sample = Timer.start(meters);
        try {
            chain.doFilter(exchange);
        } finally {
            int status = exchange.getResponseCode();
            String outcome = status >= 500 || status < 0 ? "server_error" : status >= 400 ? "client_error" : "success";
            sample.stop(Timer.builder("turnout.registry.requests")
                .description("Schema registry HTTP requests")
                .tag("method", exchange.getRequestMethod())
                .tag("outcome", outcome)
                .register(meters));
        }
    }

    @Override
    public String description() {
        return "Times schema registry requests";
    }
}
