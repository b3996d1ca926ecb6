package dev.turnout.app.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** {@code host:port} of the service port, to socket addresses and back. */
public final class ServiceAddress {

    private ServiceAddress() {
    }

    /**
     * Parses {@code host:port} ({@code service.bind}, validated at load); {@code 0.0.0.0} listens on every interface, and
     * port 0 (accepted here for tests and the demo, not in the config) on any free port.
     */
    public static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got " + hostPort);
        }
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        return new InetSocketAddress(hostPort.substring(0, colon), port);
    }

    /** {@code host:port} as given or bound. */
    static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return host + ":" + address.getPort();
    }

    /** {@code host:port} to reach it from this host: a wildcard address becomes loopback. */
    static String reachable(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        String host = a == null || a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        return host + ":" + address.getPort();
    }

    /** Whether only this host can connect. */
    static boolean isLoopback(InetSocketAddress address) {
        return address.getAddress() != null && address.getAddress().isLoopbackAddress();
    }
}
