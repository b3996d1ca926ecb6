package dev.turnout.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's {@code public.users} table and the fingerprint that says when a target holds exactly what the source
 * holds. The fingerprint reads the named columns only (the target also has Turnout's guard column) and compares times as
 * microseconds since the epoch, so it does not depend on how each side prints them.
 */
final class UsersTable {

    static final String TABLE = "public.users";

    static final String DDL = "CREATE TABLE IF NOT EXISTS public.users (id bigint PRIMARY KEY, email text NOT NULL, "
        + "display_name text, avatar_url text, created_at timestamptz NOT NULL DEFAULT now(), "
        + "updated_at timestamptz NOT NULL DEFAULT now())";

    private static final String FINGERPRINT = "SELECT count(*), coalesce(sum(hashtext(id::text || '|' || email || '|' "
        + "|| coalesce(display_name, '') || '|' || coalesce(avatar_url, '') || '|' "
        + "|| floor(extract(epoch FROM created_at) * 1000000)::bigint || '|' "
        + "|| floor(extract(epoch FROM updated_at) * 1000000)::bigint)), 0) FROM public.users";

    /** Row count and an order-independent sum of row hashes. */
    record Fingerprint(long rows, long hashSum) {
    }

    private UsersTable() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(DDL);
        }
    }

    static Fingerprint fingerprint(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery(FINGERPRINT)) {
            r.next();
            return new Fingerprint(r.getLong(1), r.getLong(2));
        }
    }

    static String email(long id) {
        return "user" + id + "@example.com";
    }

    static String avatar(long id, int version) {
        return "https://cdn.example.com/avatars/" + id + "/" + version + ".png";
    }

    static String displayName(long id, int version) {
        return "User " + id + " v" + version;
    }
}
