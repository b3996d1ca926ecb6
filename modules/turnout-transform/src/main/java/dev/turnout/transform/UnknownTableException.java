package dev.turnout.transform;

import dev.turnout.core.config.TableId;

/** A table the source catalog does not have (or does not show to the configured user). The message suggests a near name. */
public final class UnknownTableException extends CatalogException {

    private final TableId table;

    public UnknownTableException(TableId table, String message) {
        super(message);
        this.table = table;
    }

    public TableId table() {
        return table;
    }
}
