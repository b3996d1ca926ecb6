package dev.turnout.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Proves that the embedded components listen on loopback only, from the kernel's own socket tables. */
@EnabledOnOs(OS.LINUX)
class LoopbackOnlyTest {

    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    @Test
    void embeddedKafkaAndPostgresListenOnLoopbackOnly() throws IOException {
        KafkaCluster kafka = SharedInfrastructure.kafka();
        Postgres pg = SharedInfrastructure.postgres();

        Set<String> inodes = socketInodes(Path.of("/proc/self/fd"));
        long postmaster = pg.postmasterPid().orElseThrow();
        inodes.addAll(socketInodes(Path.of("/proc/" + postmaster + "/fd")));

        List<Listener> listeners = new ArrayList<>();
        listeners.addAll(listeners(Path.of("/proc/net/tcp"), inodes, false));
        listeners.addAll(listeners(Path.of("/proc/net/tcp6"), inodes, true));

        int kafkaPort = Integer.parseInt(kafka.bootstrap().substring(kafka.bootstrap().lastIndexOf(':') + 1));
        assertThat(listeners).extracting(Listener::port).contains(kafkaPort, pg.port());
        assertThat(listeners).allSatisfy(l -> assertThat(l.loopback())
            .as("listener on %s:%d must be loopback", l.address(), l.port()).isTrue());
    }

    private static Set<String> socketInodes(Path fdDir) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(fdDir)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Matcher m = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        inodes.add(m.group(1));
                    }
                } catch (IOException closedMeanwhile) {
                    // An fd closed between listing and reading is not a listener of ours.
                }
            }
        }
        return inodes;
    }

    private static List<Listener> listeners(Path table, Set<String> inodes, boolean v6) throws IOException {
        List<Listener> result = new ArrayList<>();
        if (!Files.exists(table)) {
            return result;
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            // f[1] = local "ADDR:PORT" in hex, f[3] = state (0A = LISTEN), f[9] = inode
            if (!"0A".equals(f[3]) || !inodes.contains(f[9])) {
                continue;
            }
            String[] local = f[1].split(":");
            result.add(new Listener(local[0], Integer.parseInt(local[1], 16), v6));
        }
        return result;
    }

    record Listener(String address, int port, boolean v6) {
        boolean loopback() {
            if (!v6) {
                // Little-endian hex: 127.x.y.z ends in "7F".
                return address.endsWith("7F");
            }
            return address.equals("00000000000000000000000001000000")
                || address.equals("0000000000000000FFFF00000100007F");
        }
    }
}
