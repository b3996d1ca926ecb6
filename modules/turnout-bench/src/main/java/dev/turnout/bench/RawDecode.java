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
 * {@code pg_recvlogical} (Debian's postgresql-client) when it is installed, timed from its first output byte to the
 * end marker written after the data; otherwise, or when it refuses the server, {@code pg_logical_slot_get_binary_changes} with
 * pgoutput, timed as one query. {@link Result#method()} says which ran and why.
 */
final class RawDecode {

    static final Path PG_RECVLOGICAL = Path.of("/usr/bin/pg_recvlogical");

    /**
     * A table only the raw slot's publication holds: one row inserted after the load marks the end of the stream, since
     * pg_recvlogical's --endpos may stop at a keepalive before the decoded changes arrive.
     */
    private static final String MARKER_TABLE = "public.bench_decode_end";
    private static final byte[] MARKER = "bench-decode-end-marker".getBytes(StandardCharsets.US_ASCII);

    /** Seconds spent decoding, messages or bytes read, and how. */
    record Result(double seconds, long output, String method) {
    }

    private RawDecode() {
    }

    /** Creates a pgoutput slot and a publication of the users table named {@code name}; call before the data is written. */
    static void prepare(Postgres pg, String database, String name) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + MARKER_TABLE + " (marker text PRIMARY KEY)");
            st.execute("CREATE PUBLICATION " + name + " FOR TABLE " + UsersTable.TABLE + ", " + MARKER_TABLE);
            st.execute("SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')");
        }
    }

    /** Decodes everything the slot holds, up to the end marker this writes first. */
    static Result run(Postgres pg, String database, String name) throws Exception {
        String endLsn;
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + MARKER_TABLE + " VALUES ('" + new String(MARKER, StandardCharsets.US_ASCII) + "')");
            try (ResultSet r = st.executeQuery("SELECT pg_current_wal_lsn()")) {
                r.next();
                endLsn = r.getString(1);
            }
        }
        String refused = null;
        if (Files.isExecutable(PG_RECVLOGICAL)) {
            Result result = recvlogical(pg, database, name);
            if (result.output() > 0) {
                return result;
            }
            refused = result.method();
        }
        return sqlFunction(pg, database, name, endLsn, refused == null ? PG_RECVLOGICAL + " not installed" : refused);
    }

    private static Result recvlogical(Postgres pg, String database, String name) throws Exception {
        Process process = new ProcessBuilder(List.of(PG_RECVLOGICAL.toString(),
            "-d", "host=" + pg.host() + " port=" + pg.port() + " dbname=" + database + " user=" + Postgres.USER,
            "-S", name, "--start", "--no-loop", "-o", "proto_version=1", "-o", "publication_names=" + name, "-f", "-"))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long first = 0;
        long end = 0;
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        byte[] window = new byte[buffer.length + MARKER.length];
        int carried = 0;
        try (InputStream out = process.getInputStream()) {
            int n;
            while (end == 0 && (n = out.read(buffer)) >= 0) {
                if (bytes == 0 && n > 0) {
                    first = System.nanoTime();
                }
                bytes += n;
                // The marker may straddle two reads: search the previous read's tail and this read together.
                System.arraycopy(buffer, 0, window, carried, n);
                int length = carried + n;
                if (indexOf(window, length, MARKER) >= 0) {
                    end = System.nanoTime();
                }
                carried = Math.min(MARKER.length - 1, length);
                System.arraycopy(window, length - carried, window, 0, carried);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (end == 0) {
            return new Result(0, 0, "pg_recvlogical stopped before the end marker (exit " + process.exitValue()
                + ", " + bytes + " bytes)");
        }
        return new Result((end - first) / 1e9, bytes, "pg_recvlogical --start, pgoutput proto 1 (" + version()
            + "), first byte to end marker");
    }

    private static int indexOf(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PG_RECVLOGICAL.toString(), "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return v;
    }

    private static Result sqlFunction(Postgres pg, String database, String name, String endLsn, String why)
        throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            long started = System.nanoTime();
            try (ResultSet r = st.executeQuery("SELECT count(*) FROM pg_logical_slot_get_binary_changes('" + name
                + "', '" + endLsn + "', NULL, 'proto_version', '1', 'publication_names', '" + name + "')")) {
                r.next();
                long messages = r.getLong(1);
                return new Result((System.nanoTime() - started) / 1e9, messages,
                    "pg_logical_slot_get_binary_changes, pgoutput proto 1 (fallback: " + why + ")");
            }
        }
    }
}
