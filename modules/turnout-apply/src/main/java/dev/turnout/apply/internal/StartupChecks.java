package dev.turnout.apply.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.turnout.apply.ApplierException;
import dev.turnout.apply.ApplierSettings;
import dev.turnout.apply.TurnoutTables;
import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TableId;

/**
 * What the applier checks before it starts, each failure one {@link ApplierException} naming the database or cluster:
 * the target is reachable, its target tables exist with the guard column, Turnout's own tables exist (created if
 * missing), Kafka is reachable and the dead-letter topic exists (created if missing). Stateless.
 */
public final class StartupChecks {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private StartupChecks() {
    }

    /** Checks the target and reads its tables into {@code writers}. */
    public static void target(ApplierSettings settings, DataSource pool, TableWriters writers) {
        // A direct connection first: it fails at once with the driver's reason, where the pool would retry for its
        // whole connection timeout.
        try (Connection direct = DriverManager.getConnection(settings.targetUrl(), settings.user(),
            settings.password().reveal())) {
            direct.isValid(5);
        } catch (SQLException e) {
            throw new ApplierException("Cannot connect to the target database at " + settings.targetUrl() + " as "
                + settings.user() + ": " + SqlErrors.message(e), e);
        }
        try (Connection c = pool.getConnection()) {
            ensureTurnoutTables(c);
            writers.load(c, settings.tables());
        } catch (SQLException e) {
            throw new ApplierException("Cannot use the target database at " + settings.targetUrl() + " as "
                + settings.user() + ": " + SqlErrors.message(e), e);
        } catch (SchemaMismatchException e) {
            throw new ApplierException(e.getMessage(), e);
        }
    }

    /** Checks that Kafka answers and that the dead-letter topic exists, creating it with the broker's defaults. */
    public static void kafka(ApplierSettings settings, String clientId) {
        String dlq = TopicNames.deadLetters(settings.pipeline());
        try (Admin client = Admin.create(ApplierClients.admin(settings, clientId))) {
            client.describeCluster().clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!client.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(dlq)) {
                try {
                    client.createTopics(List.of(new NewTopic(dlq, Optional.empty(), Optional.empty())))
                        .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplierException("Interrupted while checking Kafka at " + settings.bootstrap(), e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ApplierException("Cannot reach Kafka at " + settings.bootstrap() + " (or create the dead-letter "
                + "topic " + dlq + "): " + cause, cause);
        }
    }

    private static void ensureTurnoutTables(Connection c) throws SQLException {
        List<String> ddl = new ArrayList<>();
        if (!exists(c, TurnoutTables.OFFSETS)) {
            ddl.add(TurnoutTables.offsetsDdl(true));
        }
        if (!exists(c, TurnoutTables.TOMBSTONES)) {
            ddl.addAll(TurnoutTables.tombstonesDdl(true));
        }
        try (Statement st = c.createStatement()) {
            for (String s : ddl) {
                st.execute(s);
            }
        }
    }

    /** Whether a table exists (and the user may see it). */
    public static boolean exists(Connection c, TableId table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, table.toString());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }
}
