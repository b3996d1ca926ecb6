package dev.turnout.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on the loopback interface.
 *
 * <p>A port is found by binding an ephemeral socket on 127.0.0.1 and releasing it; another process may take it before the
 * caller binds it, which is why callers that must bind a known port (a broker's controller listener) pick it immediately
 * before use. Never binds anything but loopback.
 */
public final class LoopbackPorts {

    /** The address every embedded component listens on. */
    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /** Returns a port that was free on 127.0.0.1 at the moment of the call. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on " + HOST, e);
        }
    }
}
