package dev.turnout.app.dashboard;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

/**
 * Lets a request through only when it carries the dashboard's token: {@code Authorization: Bearer TOKEN}, the cookie
 * this filter sets, or {@code ?token=TOKEN} in the address. A page opened with {@code ?token=} gets the cookie
 * ({@code HttpOnly}, {@code SameSite=Strict}) and is redirected to the same address without the token, so the token
 * leaves the address bar and the page's own requests carry the cookie. Everything else gets 401. Tokens are compared
 * in constant time.
 */
final class TokenFilter extends Filter {

    static final String COOKIE = "turnout_dashboard_token";

    private final byte[] token;

    TokenFilter(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (matches(bearer(exchange)) || matches(cookie(exchange))) {
            chain.doFilter(exchange);
            return;
        }
        String fromQuery = HttpResponses.query(exchange).get("token");
        if (matches(fromQuery)) {
            try (exchange) {
                exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "="
                    + URLEncoder.encode(fromQuery, StandardCharsets.UTF_8) + "; Path=/; HttpOnly; SameSite=Strict");
                exchange.getResponseHeaders().set("Location", withoutToken(exchange));
                HttpResponses.send(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
            }
            return;
        }
        try (exchange) {
            HttpResponses.text(exchange, 401, "this dashboard needs its token: open /?token=TOKEN once, or send "
                + "Authorization: Bearer TOKEN");
        }
    }

    @Override
    public String description() {
        return "dashboard token";
    }

    private boolean matches(String presented) {
        return presented != null
            && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    private static String cookie(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return URLDecoder.decode(p.substring(COOKIE.length() + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    /** The request's path and query with the {@code token} parameter removed. */
    private static String withoutToken(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        List<String> kept = new ArrayList<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (!pair.equals("token") && !pair.startsWith("token=")) {
                    kept.add(pair);
                }
            }
        }
        String path = exchange.getRequestURI().getRawPath();
        return kept.isEmpty() ? path : path + "?" + String.join("&", kept);
    }
}
