package dev.turnout.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import dev.turnout.testkit.Postgres;

/**
 * The three ways the benchmark writes {@code public.users} on a source database: a bulk load in fixed-size transactions,
 * OLTP writers (single-row transactions, mixed insert/update/delete) and a paced writer at a steady rate. Each is
 * deterministic for its arguments, so Turnout and native replication see the same changes. Each returns when its last
 * transaction has committed.
 */
final class Workloads {

    private static final String INSERT = "INSERT INTO public.users (id, email, display_name, avatar_url) VALUES (?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE public.users SET display_name = ?, avatar_url = ?, updated_at = now() "
        + "WHERE id = ?";
    private static final String DELETE = "DELETE FROM public.users WHERE id = ?";

    private final String jdbcUrl;

    Workloads(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    private Connection connect() throws SQLException {
        // Rewritten batches send one multi-row INSERT per transaction, as a loader would.
        return DriverManager.getConnection(jdbcUrl + "?reWriteBatchedInserts=true", Postgres.USER, "");
    }

    /** Inserts {@code rows} rows with ids from {@code firstId}, {@code perTransaction} rows per transaction. */
    void bulkLoad(long firstId, int rows, int perTransaction) throws SQLException {
        try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            for (int done = 0; done < rows; ) {
                int n = Math.min(perTransaction, rows - done);
                for (int i = 0; i < n; i++) {
                    bindInsert(insert, firstId + done + i);
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
                done += n;
            }
        }
    }

    /**
     * {@code operations} single-row transactions over {@code writers} concurrent connections: half inserts, a third
     * updates and the rest deletes of the writer's own rows (ids {@code firstId + writer + k * writers}), so writers never
     * wait for each other's locks.
     */
    void oltp(long firstId, int operations, int writers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                int share = operations / writers + (w < operations % writers ? 1 : 0);
                done.add(pool.submit(() -> {
                    oltpWriter(firstId + writer, writers, share, new Random(1_000 + writer));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void oltpWriter(long firstId, int stride, int operations, Random random) throws SQLException {
        List<Long> live = new ArrayList<>();
        long nextId = firstId;
        try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(INSERT);
             PreparedStatement update = c.prepareStatement(UPDATE); PreparedStatement delete = c.prepareStatement(DELETE)) {
            c.setAutoCommit(true);
            for (int op = 0; op < operations; op++) {
                double pick = random.nextDouble();
                if (live.isEmpty() || pick < 0.5) {
                    bindInsert(insert, nextId);
                    insert.executeUpdate();
                    live.add(nextId);
                    nextId += stride;
                } else if (pick < 0.85) {
                    long id = live.get(random.nextInt(live.size()));
                    int version = op + 1;
                    update.setString(1, UsersTable.displayName(id, version));
                    update.setString(2, UsersTable.avatar(id, version));
                    update.setLong(3, id);
                    update.executeUpdate();
                } else {
                    int at = random.nextInt(live.size());
                    long id = live.get(at);
                    live.set(at, live.get(live.size() - 1));
                    live.remove(live.size() - 1);
                    delete.setLong(1, id);
                    delete.executeUpdate();
                }
            }
        }
    }

    /**
     * Inserts at {@code rowsPerSecond} for {@code duration}, in transactions of {@code perTransaction} rows started on a
     * fixed schedule (a late writer catches up rather than lowering the rate). Returns the rows written.
     */
    long paced(long firstId, int rowsPerSecond, Duration duration, int perTransaction) throws SQLException {
        long written = 0;
        try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long total = (long) rowsPerSecond * duration.toSeconds();
            while (written < total) {
                long now = System.nanoTime();
                long due = Math.min(total, (now - start) * rowsPerSecond / 1_000_000_000L);
                if (due - written < perTransaction && now < end) {
                    // Pacing, not synchronisation: wait for the schedule to allow the next transaction.
                    LockSupport.parkNanos(200_000);
                    continue;
                }
                int n = (int) Math.min(perTransaction, total - written);
                for (int i = 0; i < n; i++) {
                    bindInsert(insert, firstId + written + i);
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
                written += n;
            }
        }
        return written;
    }

    private static void bindInsert(PreparedStatement insert, long id) throws SQLException {
        insert.setLong(1, id);
        insert.setString(2, UsersTable.email(id));
        insert.setString(3, UsersTable.displayName(id, 0));
        insert.setString(4, UsersTable.avatar(id, 0));
    }
}
