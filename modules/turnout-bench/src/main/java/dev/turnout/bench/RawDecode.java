package dev.turnout.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.turnout.testkit.Postgres;

/**
 * The slot's raw decode rate: a pgoutput slot read to a given LSN with nothing done to the changes. Uses
 * {@code pg_recvlogical} (Debian's postgresql-client) when it is installed, timed from its first output byte to its exit
 * at the end position; otherwise, or when it refuses the server, {@code pg_logical_slot_get_binary_changes} with
 * pgoutput, timed as one query. {@link Result#method()} says which ran and why.
 */
final class RawDecode {

    static final Path PG_RECVLOGICAL = Path.of("/usr/bin/pg_recvlogical");

    /** Seconds spent decoding, messages or bytes read, and how. */
    record Result(double seconds, long output, String method) {
    }

    private RawDecode() {
    }

    /** Creates a pgoutput slot and a publication of the users table named {@code name}; call before the data is written. */
    static void prepare(Postgres pg, String database, String name) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            st.execute("CREATE PUBLICATION " + name + " FOR TABLE " + UsersTable.TABLE);
            st.execute("SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')");
        }
    }

    static Result run(Postgres pg, String database, String name) throws Exception {
        String endLsn;
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT pg_current_wal_lsn()")) {
            r.next();
            endLsn = r.getString(1);
        }
        String refused = null;
        if (Files.isExecutable(PG_RECVLOGICAL)) {
            Result result = recvlogical(pg, database, name, endLsn);
            if (result.output() > 0) {
                return result;
            }
            refused = result.method();
        }
        return sqlFunction(pg, database, name, refused == null ? PG_RECVLOGICAL + " not installed" : refused);
    }

    private static Result recvlogical(Postgres pg, String database, String name, String endLsn) throws Exception {
        Process process = new ProcessBuilder(List.of(PG_RECVLOGICAL.toString(),
            "-d", "host=" + pg.host() + " port=" + pg.port() + " dbname=" + database + " user=" + Postgres.USER,
            "-S", name, "--start", "--endpos=" + endLsn, "--no-loop",
            "-o", "proto_version=1", "-o", "publication_names=" + name, "-f", "-")).start();
        long first = 0;
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream out = process.getInputStream()) {
            int n;
            while ((n = out.read(buffer)) >= 0) {
                if (bytes == 0 && n > 0) {
                    first = System.nanoTime();
                }
                bytes += n;
            }
        }
        long end = System.nanoTime();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        if (process.exitValue() != 0 || bytes == 0) {
            return new Result(0, 0, "pg_recvlogical failed (exit " + process.exitValue() + ": " + stderr + ")");
        }
        return new Result((end - first) / 1e9, bytes, "pg_recvlogical --start --endpos, pgoutput proto 1 ("
            + version() + "), first byte to exit");
    }

    private static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PG_RECVLOGICAL.toString(), "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return v;
    }

    private static Result sqlFunction(Postgres pg, String database, String name, String why) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            long started = System.nanoTime();
            try (ResultSet r = st.executeQuery("SELECT count(*) FROM pg_logical_slot_get_binary_changes('" + name
                + "', NULL, NULL, 'proto_version', '1', 'publication_names', '" + name + "')")) {
                r.next();
                long messages = r.getLong(1);
                return new Result((System.nanoTime() - started) / 1e9, messages,
                    "pg_logical_slot_get_binary_changes, pgoutput proto 1 (fallback: " + why + ")");
            }
        }
    }
}
