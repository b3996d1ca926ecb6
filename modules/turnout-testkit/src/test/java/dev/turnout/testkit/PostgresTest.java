package dev.turnout.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class PostgresTest {

    @Test
    void runsWithLogicalDecodingAndCreatesAPgoutputSlot() throws Exception {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase("slot_test");
        try (Connection c = pg.connect("slot_test"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW wal_level")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("logical");
            }
            st.execute("SELECT pg_create_logical_replication_slot('testkit_slot_a', 'pgoutput')");
            try (ResultSet rs = st.executeQuery(
                "SELECT plugin, slot_type, database FROM pg_replication_slots WHERE slot_name = 'testkit_slot_a'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("plugin")).isEqualTo("pgoutput");
                assertThat(rs.getString("slot_type")).isEqualTo("logical");
                assertThat(rs.getString("database")).isEqualTo("slot_test");
            }
        }
        assertThat(pg.dropReplicationSlots("testkit_slot_")).containsExactly("testkit_slot_a");
        try (Connection c = pg.connect("slot_test"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'testkit_slot_%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void dropsLeftoverPublications() throws Exception {
        Postgres pg = SharedInfrastructure.postgres();
        pg.createDatabase("pub_test");
        try (Connection c = pg.connect("pub_test"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int primary key)");
            st.execute("CREATE PUBLICATION leftover_pub FOR TABLE t");
            st.execute("CREATE PUBLICATION keep_pub FOR TABLE t");
        }
        assertThat(pg.dropPublications("pub_test", "leftover_")).containsExactly("leftover_pub");
        try (Connection c = pg.connect("pub_test"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pubname FROM pg_publication ORDER BY 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("keep_pub");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void restartKeepsRowsAndSlots() throws Exception {
        try (Postgres pg = Postgres.start()) {
            pg.createDatabase("app");
            try (Connection c = pg.connect("app"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE users (id int primary key, email text)");
                st.execute("INSERT INTO users VALUES (1, 'ada@example.com')");
                st.execute("SELECT pg_create_logical_replication_slot('kept_slot', 'pgoutput')");
            }
            int port = pg.port();

            pg.restart();

            assertThat(pg.port()).isEqualTo(port);
            try (Connection c = pg.connect("app"); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT email FROM users WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ada@example.com");
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'kept_slot'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
        }
    }
}
