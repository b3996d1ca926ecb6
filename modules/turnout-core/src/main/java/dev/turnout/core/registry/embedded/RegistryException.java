package dev.turnout.core.registry.embedded;

import java.util.List;

import dev.turnout.core.registry.RegistryErrorCode;

/**
 * A request the registry refuses, carrying the HTTP status and the Confluent {@code error_code} the REST API answers with.
 * The message is what the client sees, so it names the subject, version or id at fault.
 */
final class RegistryException extends RuntimeException {

    private final int status;
    private final int errorCode;

    RegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, RegistryErrorCode.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.",
            null);
    }

    static RegistryException versionNotFound(String subject, int version) {
        return new RegistryException(404, RegistryErrorCode.VERSION_NOT_FOUND,
            "Version " + version + " not found for subject '" + subject + "'.", null);
    }

    static RegistryException schemaNotFound(String message) {
        return new RegistryException(404, RegistryErrorCode.SCHEMA_NOT_FOUND, message, null);
    }

    static RegistryException subjectLevelNotConfigured(String subject) {
        return new RegistryException(404, RegistryErrorCode.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
            "Subject '" + subject + "' does not have subject-level compatibility configured", null);
    }

    static RegistryException incompatible(String subject, List<String> messages) {
        return new RegistryException(409, RegistryErrorCode.INCOMPATIBLE_SCHEMA,
            "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\"; details: ["
                + String.join("; ", messages) + "]", null);
    }

    static RegistryException invalidSchema(String message) {
        return new RegistryException(422, RegistryErrorCode.INVALID_SCHEMA, message, null);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(422, RegistryErrorCode.INVALID_VERSION, "The specified version '" + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", null);
    }

    static RegistryException invalidCompatibilityLevel(String given) {
        return new RegistryException(422, RegistryErrorCode.INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level '"
            + given + "'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and"
            + " full_transitive", null);
    }

    static RegistryException storeError(String message, Throwable cause) {
        return new RegistryException(500, RegistryErrorCode.STORE_ERROR, "Error in the backend data store: " + message,
            cause);
    }

    static RegistryException badRequest(String message) {
        return new RegistryException(400, 400, message, null);
    }

    static RegistryException notFound() {
        return new RegistryException(404, 404, "HTTP 404 Not Found", null);
    }

    static RegistryException methodNotAllowed() {
        return new RegistryException(405, 405, "HTTP 405 Method Not Allowed", null);
    }
}
