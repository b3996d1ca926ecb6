package dev.turnout.app.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.core.config.TableId;

/**
 * The demo's source application: a small chat product (users with email and display name, conversations, messages with
 * long text) and a thread that keeps inserting, updating and deleting rows at a steady pace, as a live system would.
 */
public final class ChatWorkload implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatWorkload.class);

    public static final List<TableId> TABLES = List.of(
        TableId.parse("public.users"), TableId.parse("public.conversations"), TableId.parse("public.messages"));

    private final String jdbcUrl;
    private final String user;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong transactions = new AtomicLong();
    private final Thread thread;

    private ChatWorkload(String jdbcUrl, String user, Duration pause) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.thread = new Thread(() -> run(pause), "turnout-demo-workload");
        thread.setDaemon(true);
    }

    /** Creates the schema with some initial rows, then starts writing every {@code pause}. */
    public static ChatWorkload start(String jdbcUrl, String user, Duration pause) throws SQLException {
        ChatWorkload workload = new ChatWorkload(jdbcUrl, user, pause);
        workload.createSchema();
        workload.thread.start();
        return workload;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, "");
    }

    private void createSchema() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("""
                CREATE TABLE IF NOT EXISTS users (
                  id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, display_name text,
                  avatar_url text, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())""");
            st.execute("""
                CREATE TABLE IF NOT EXISTS conversations (
                  id bigserial PRIMARY KEY, title text NOT NULL, created_by bigint NOT NULL,
                  created_at timestamptz NOT NULL DEFAULT now())""");
            st.execute("""
                CREATE TABLE IF NOT EXISTS messages (
                  id bigserial PRIMARY KEY, conversation_id bigint NOT NULL, sender_id bigint NOT NULL, body text NOT NULL,
                  sent_at timestamptz NOT NULL DEFAULT now(), edited boolean NOT NULL DEFAULT false)""");
            st.execute("""
                INSERT INTO users (email, display_name)
                SELECT 'user' || g || '@example.com', CASE WHEN g % 4 = 0 THEN NULL ELSE 'User ' || g END
                  FROM generate_series(1, 200) g ON CONFLICT DO NOTHING""");
            st.execute("""
                INSERT INTO conversations (title, created_by) SELECT 'Conversation ' || g, 1 + g % 200
                  FROM generate_series(1, 50) g""");
        }
    }

    private void run(Duration pause) {
        while (running.get()) {
            try (Connection c = connect()) {
                while (running.get()) {
                    step(c);
                    transactions.incrementAndGet();
                    Thread.sleep(pause.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException e) {
                if (running.get()) {
                    log.warn("Demo workload write failed, reconnecting in 1 s: {}", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static void step(Connection c) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int dice = random.nextInt(100);
        if (dice < 60) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (conversation_id, sender_id, body) "
                + "SELECT id, 1 + (random() * 199)::int, ? FROM conversations ORDER BY random() LIMIT 1")) {
                ps.setString(1, "Hello! ".repeat(1 + random.nextInt(400)));
                ps.executeUpdate();
            }
        } else if (dice < 75) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, display_name) VALUES (?, ?) "
                + "ON CONFLICT DO NOTHING")) {
                long n = random.nextLong(1_000_000_000L);
                ps.setString(1, "new" + n + "@example.com");
                ps.setString(2, random.nextBoolean() ? "New user " + n : "");
                ps.executeUpdate();
            }
        } else if (dice < 90) {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE users SET display_name = 'Renamed ' || floor(random() * 1000), updated_at = now() "
                    + "WHERE id = (SELECT id FROM users ORDER BY random() LIMIT 1)");
            }
        } else if (dice < 97) {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE messages SET body = body || ' (edited)', edited = true "
                    + "WHERE id = (SELECT id FROM messages ORDER BY random() LIMIT 1)");
            }
        } else {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM messages WHERE id = (SELECT id FROM messages ORDER BY random() LIMIT 1)");
            }
        }
    }

    public long transactions() {
        return transactions.get();
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
