package dev.turnout.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky's embedded binaries) as a child process, set up for logical decoding.
 *
 * <p>The server runs with {@code wal_level=logical}, room for replication slots and WAL senders, and listens on 127.0.0.1
 * only, on a port chosen at first start and kept across {@link #restart()}. {@link #stop()} and {@link #restart()} keep the
 * data directory, so slots, publications and rows survive. Needs nothing installed and works as root.
 *
 * <p>Threads: lifecycle methods are synchronised. {@link #close()} stops the server and deletes the data directory.
 */
public final class Postgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Postgres.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The superuser of the embedded server; it authenticates with {@code trust} on loopback. */
    public static final String USER = "postgres";

    private final Path dataDir;
    private final int port;
    private final Map<String, String> serverConfig;
    private final boolean stopOnJvmExit;
    private EmbeddedPostgres server;

    private Postgres(Map<String, String> serverConfig, boolean stopOnJvmExit) throws IOException {
        this.dataDir = Files.createTempDirectory("turnout-pg-");
        this.port = LoopbackPorts.freePort();
        this.serverConfig = Map.copyOf(serverConfig);
        this.stopOnJvmExit = stopOnJvmExit;
    }

    /** Starts a server with logical decoding enabled, stopped by a JVM shutdown hook if not closed before. */
    public static Postgres start() {
        return start(Map.of());
    }

    /** Starts a server with extra {@code postgresql.conf} settings on top of the logical-decoding ones. */
    public static Postgres start(Map<String, String> extraServerConfig) {
        return start(extraServerConfig, true);
    }

    /**
     * Starts a server; with {@code stopOnJvmExit} false the caller alone stops it, which an owner that shuts down in
     * order on Ctrl-C needs (a hook of the server's own would stop it while clients still write).
     */
    public static Postgres start(Map<String, String> extraServerConfig, boolean stopOnJvmExit) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("wal_level", "logical");
        config.put("max_replication_slots", "32");
        config.put("max_wal_senders", "32");
        config.put("max_connections", "200");
        config.put("fsync", "off");
        config.put("synchronous_commit", "off");
        config.putAll(extraServerConfig);
        // Last, so no caller can widen it.
        config.put("listen_addresses", LoopbackPorts.HOST);
        try {
            Postgres pg = new Postgres(config, stopOnJvmExit);
            pg.startServer(true);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
    }

    private synchronized void startServer(boolean fresh) {
        if (server != null) {
            return;
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(stopOnJvmExit)
            .setPGStartupWait(Duration.ofSeconds(60));
        serverConfig.forEach(builder::setServerConfig);
        try {
            server = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL on " + LoopbackPorts.HOST + ":" + port
                + " (data " + dataDir + ")", e);
        }
        log.info("PostgreSQL {} at {}:{} (data {})", fresh ? "started" : "restarted", LoopbackPorts.HOST, port, dataDir);
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The host the server listens on. */
    public String host() {
        return LoopbackPorts.HOST;
    }

    /** The server's data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** A JDBC URL for a database of this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port + "/" + database;
    }

    /** Opens a connection to a database as {@link #USER}; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    /** Creates a database if it does not exist. Names are lower-case SQL identifiers. */
    public void createDatabase(String database) {
        requireIdentifier(database);
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database + " on " + jdbcUrl("postgres"), e);
        }
    }

    /** The process id of the postmaster, read from its pid file; empty when the server is not running. */
    public synchronized OptionalLong postmasterPid() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (server == null || !Files.exists(pidFile)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readAllLines(pidFile).get(0).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + pidFile, e);
        }
    }

    /**
     * Drops the replication slots whose names start with {@code prefix}, terminating a walsender that still holds one.
     * Returns the names dropped. Slots are per server, not per database.
     */
    public List<String> dropReplicationSlots(String prefix) {
        List<String> dropped = new ArrayList<>();
        try (Connection c = connect("postgres")) {
            try (PreparedStatement ps = c.prepareStatement(
                "SELECT slot_name, active_pid FROM pg_replication_slots WHERE starts_with(slot_name, ?)")) {
                ps.setString(1, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dropped.add(rs.getString(1));
                        Object activePid = rs.getObject(2);
                        if (activePid != null) {
                            try (Statement st = c.createStatement()) {
                                st.execute("SELECT pg_terminate_backend(" + activePid + ")");
                            }
                        }
                    }
                }
            }
            for (String slot : dropped) {
                dropSlotWhenReleased(c, slot);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop replication slots starting with '" + prefix + "'", e);
        }
        return dropped;
    }

    private static void dropSlotWhenReleased(Connection c, String slot) throws SQLException {
        // A terminated walsender releases its slot asynchronously; pg_drop_replication_slot fails while it is active.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                ps.setString(1, slot);
                ps.execute();
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline || !"55006".equals(e.getSQLState())) {
                    throw e;
                }
                pause();
            }
        }
    }

    /** Drops the publications in {@code database} whose names start with {@code prefix}; returns the names dropped. */
    public List<String> dropPublications(String database, String prefix) {
        List<String> dropped = new ArrayList<>();
        try (Connection c = connect(database)) {
            try (PreparedStatement ps = c.prepareStatement(
                "SELECT pubname FROM pg_publication WHERE starts_with(pubname, ?)")) {
                ps.setString(1, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dropped.add(rs.getString(1));
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                for (String pub : dropped) {
                    st.execute("DROP PUBLICATION \"" + pub.replace("\"", "\"\"") + "\"");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop publications starting with '" + prefix + "' in " + database, e);
        }
        return dropped;
    }

    /** Stops the server (fast shutdown); data stays. Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        EmbeddedPostgres running = server;
        server = null;
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            log.info("PostgreSQL at {}:{} was already stopped", LoopbackPorts.HOST, port);
            return;
        }
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop embedded PostgreSQL at port " + port, e);
        }
        log.info("PostgreSQL at {}:{} stopped", LoopbackPorts.HOST, port);
    }

    /** Stops the server if it runs and starts it again on the same data directory and port. */
    public synchronized void restart() {
        stop();
        startServer(false);
    }

    /** Whether the server is running. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public synchronized void close() {
        stop();
        Directories.deleteRecursively(dataDir);
    }

    private static void requireIdentifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain lower-case identifier: '" + name + "'");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a replication slot to be released", e);
        }
    }

    @Override
    public String toString() {
        return "Postgres[" + LoopbackPorts.HOST + ":" + port + "]";
    }
}
