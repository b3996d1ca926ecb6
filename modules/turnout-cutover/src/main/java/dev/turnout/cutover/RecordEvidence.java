package dev.turnout.cutover;

/**
 * One record as evidence: where it is and what it contains, without its payload.
 *
 * @param fingerprint hex SHA-256 over key, value, headers other than {@code turnout.src}, and timestamp
 * @param recordId    the {@code turnout.id} header, or null
 * @param src         the {@code turnout.src} header, or null
 */
public record RecordEvidence(long offset, long timestamp, String fingerprint, String recordId, String src) {
}
