package dev.turnout.transform;

/** The source catalog could not be read (connection lost, permission denied). Not specific to one mapping. */
public class CatalogException extends RuntimeException {

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }

    protected CatalogException(String message) {
        super(message);
    }
}
