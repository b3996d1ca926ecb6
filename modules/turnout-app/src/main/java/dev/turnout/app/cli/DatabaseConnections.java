package dev.turnout.app.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import dev.turnout.core.config.Secret;

/** Opens the source and target connections verbs need, failing with one line that names the database. */
final class DatabaseConnections {

    /** A database could not be reached or would not let the user in. */
    static final class UnreachableDatabaseException extends RuntimeException {
        UnreachableDatabaseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DatabaseConnections() {
    }

    /**
     * @param role "source" or "target", for the message
     * @throws UnreachableDatabaseException naming the role, URL and user
     */
    static Connection open(String role, String url, String user, Secret password) {
        try {
            return DriverManager.getConnection(url, user, password.reveal());
        } catch (SQLException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
            throw new UnreachableDatabaseException("Cannot connect to the " + role + " database at " + url + " as "
                + user + ": " + why, e);
        }
    }
}
