package dev.turnout.app.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The page and its script, stylesheet and icon, from the classpath ({@code dev/turnout/app/dashboard/assets/}). Only
 * these names are served; everything else is 404. Loaded once: the assets are part of the build.
 */
final class AssetHandler implements HttpHandler {

    private record Asset(String contentType, byte[] body) {
    }

    private static final Map<String, String> TYPES = Map.of(
        "/", "index.html",
        "/index.html", "index.html",
        "/assets/app.js", "app.js",
        "/assets/app.css", "app.css",
        "/assets/icon.svg", "icon.svg");

    private final Map<String, Asset> assets;

    AssetHandler() {
        this.assets = Map.of(
            "index.html", load("index.html", "text/html; charset=utf-8"),
            "app.js", load("app.js", "text/javascript; charset=utf-8"),
            "app.css", load("app.css", "text/css; charset=utf-8"),
            "icon.svg", load("icon.svg", "image/svg+xml"));
    }

    private static Asset load(String name, String contentType) {
        String path = "assets/" + name;
        try (InputStream in = AssetHandler.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard asset " + path + " is missing from the classpath");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the dashboard asset " + path, e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!HttpResponses.allowGetOrHead(exchange)) {
                return;
            }
            String name = TYPES.get(exchange.getRequestURI().getPath());
            if (name == null) {
                HttpResponses.text(exchange, 404, "not found; the dashboard is at /");
                return;
            }
            Asset asset = assets.get(name);
            HttpResponses.send(exchange, 200, asset.contentType(), asset.body());
        }
    }
}
