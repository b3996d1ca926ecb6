package dev.turnout.reconcile.verify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import dev.turnout.core.config.Secret;

/**
 * Connections for verify, each with the same session settings on both databases, so that values print alike in both
 * (time zone UTC, ISO dates, hex bytes, shortest exact floats).
 */
final class Databases {

    private Databases() {
    }

    /**
     * @param role "source" or "target", for the message when the database cannot be reached
     * @throws VerifyException naming the database when it cannot be reached
     */
    static Connection open(String role, String url, String user, Secret password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password.reveal());
        props.setProperty("ApplicationName", "turnout-verify");
        props.setProperty("connectTimeout", "10");
        try {
            Connection c = DriverManager.getConnection(url, props);
            try (Statement s = c.createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
                s.execute("SET DateStyle = 'ISO, YMD'");
                s.execute("SET IntervalStyle = 'postgres'");
                s.execute("SET extra_float_digits = 1");
                s.execute("SET bytea_output = 'hex'");
            }
            return c;
        } catch (SQLException e) {
            throw new VerifyException(VerifyException.Kind.FAILED, "Cannot connect to the " + role + " database at "
                + url + " as " + user + ": " + e.getMessage(), e);
        }
    }
}
