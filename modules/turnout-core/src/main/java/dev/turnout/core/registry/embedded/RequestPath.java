package dev.turnout.core.registry.embedded;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request URI split into percent-decoded path segments and query parameters.
 *
 * <p>Immutable. Segments are decoded one by one from the raw path, so a subject containing an encoded slash ({@code %2F})
 * stays one segment; a '+' in a path is a plus, in a query a space, as URIs define them.
 */
record RequestPath(List<String> segments, Map<String, String> query) {

    static RequestPath of(URI uri) {
        String raw = uri.getRawPath() == null ? "" : uri.getRawPath();
        List<String> segments = new ArrayList<>();
        String trimmed = raw.startsWith("/") ? raw.substring(1) : raw;
        if (!trimmed.isEmpty()) {
            String[] parts = trimmed.split("/", -1);
            int count = parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
            for (int i = 0; i < count; i++) {
                segments.add(decodeSegment(parts[i]));
            }
        }
        return new RequestPath(List.copyOf(segments), parseQuery(uri.getRawQuery()));
    }

    /** Whether the query parameter is "true", ignoring case. */
    boolean flag(String name) {
        return "true".equalsIgnoreCase(query.get(name));
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw RegistryException.badRequest("Malformed query parameter '" + pair + "'");
            }
        }
        return Map.copyOf(query);
    }

    private static String decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw RegistryException.badRequest("Malformed percent-encoding in path segment '" + raw + "'");
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw RegistryException.badRequest("Malformed percent-encoding in path segment '" + raw + "'");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                int next = raw.indexOf('%', i);
                int end = next < 0 ? raw.length() : next;
                // Whole runs, so that characters outside the BMP keep both halves of their surrogate pair.
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
