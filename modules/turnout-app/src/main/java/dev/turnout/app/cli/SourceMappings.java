package dev.turnout.app.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.transform.CatalogReader;
import dev.turnout.transform.Mappings;

/** The pipeline's mappings compiled against the source catalog, for verbs that need them. */
final class SourceMappings {

    private SourceMappings() {
    }

    /**
     * @throws dev.turnout.core.config.ConfigException if a mapping does not compile (exit 2)
     * @throws IllegalStateException naming the source when it cannot be reached (exit 3)
     */
    static Mappings compile(LoadedConfig loaded) {
        TurnoutConfig cfg = loaded.config();
        try (Connection source = DriverManager.getConnection(cfg.source().url(), cfg.source().user(),
            cfg.source().password().reveal())) {
            return Mappings.compile(loaded, new CatalogReader(source));
        } catch (SQLException e) {
            throw new SourceUnreachableException("Cannot read the source catalog at " + cfg.source().url() + " as "
                + cfg.source().user() + ": " + e.getMessage(), e);
        }
    }

    /** The source database cannot be reached or read. */
    static final class SourceUnreachableException extends RuntimeException {
        SourceUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
