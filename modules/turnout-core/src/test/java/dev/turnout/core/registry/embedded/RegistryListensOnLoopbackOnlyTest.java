package dev.turnout.core.registry.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.turnout.testkit.LoopbackPorts;
import dev.turnout.testkit.SharedInfrastructure;

/** The registry is reachable on 127.0.0.1 only, unless told another single address, and never binds a wildcard. */
class RegistryListensOnLoopbackOnlyTest {

    @Test
    void listensOn127001AndNotOnOtherInterfaces() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap())
                .withTopic(TestSchemas.uniqueTopic("loopback")))) {

            assertThat(registry.url()).isEqualTo("http://127.0.0.1:" + registry.port());
            assertThat(registry.port()).isPositive();
            assertThat(new RegistryHttp(registry).get("/subjects").status()).isEqualTo(200);

            Optional<InetAddress> external = nonLoopbackAddress();
            assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to probe");
            assertThat(connects(external.get(), registry.port()))
                .as("connecting to %s:%d", external.get().getHostAddress(), registry.port()).isFalse();
        }
    }

    @Test
    void refusesToListenOnAWildcardAddress() {
        EmbeddedSchemaRegistry.Settings settings = EmbeddedSchemaRegistry.Settings.of(
            SharedInfrastructure.kafka().bootstrap()).withTopic(TestSchemas.uniqueTopic("wildcard"));

        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(settings.withHost("0.0.0.0")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(settings.withHost("::")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
    }

    @Test
    void listensOnTheRequestedPort() {
        int port = LoopbackPorts.freePort();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
            EmbeddedSchemaRegistry.Settings.of(SharedInfrastructure.kafka().bootstrap())
                .withTopic(TestSchemas.uniqueTopic("port")).withPort(port))) {

            assertThat(registry.port()).isEqualTo(port);
            assertThat(registry.url()).isEqualTo("http://127.0.0.1:" + port);
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
