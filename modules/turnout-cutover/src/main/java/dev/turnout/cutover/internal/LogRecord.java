package dev.turnout.cutover.internal;

import dev.turnout.cutover.SourceRef;

/**
 * What translation needs to know about one committed record: where it is, its timestamp, its content fingerprint and
 * the Turnout headers that identify it. Payloads are not kept.
 *
 * @param recordId the {@code turnout.id} header, or null
 * @param src      the {@code turnout.src} header, or null
 */
public record LogRecord(long offset, long timestamp, String fingerprint, String recordId, SourceRef src) {
}
