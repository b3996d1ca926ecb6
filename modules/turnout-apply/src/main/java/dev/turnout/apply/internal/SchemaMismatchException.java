package dev.turnout.apply.internal;

/**
 * Apply records that the target table cannot take at all (a column it does not have, a key it has no unique index
 * for): a schema problem, not a poison record, so the applier stops rather than dead-letter every record.
 */
public final class SchemaMismatchException extends Exception {

    public SchemaMismatchException(String message) {
        super(message);
    }

    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
