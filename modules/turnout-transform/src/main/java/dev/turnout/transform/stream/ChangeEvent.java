package dev.turnout.transform.stream;

import java.util.Map;

import org.apache.kafka.common.utils.Bytes;

import dev.turnout.schemas.apply.SourcePosition;

/**
 * One decoded Debezium change event.
 *
 * @param op        what happened to the row
 * @param sourceKey the source primary key in a canonical form (the same bytes for the same key whatever schema version
 *                  wrote it), prefixed with the table; null for a table without a primary key
 * @param before    the row before the change as the mapping reads it; null when the event has none (inserts, and
 *                  updates under {@code REPLICA IDENTITY DEFAULT})
 * @param after     the row after the change; null for deletes
 * @param position  where in the source the change comes from
 */
record ChangeEvent(Op op, Bytes sourceKey, Map<String, Object> before, Map<String, Object> after,
                   SourcePosition position) {

    /** Debezium's {@code op}. */
    enum Op {
        CREATE, READ, UPDATE, DELETE;

        static Op of(String code) {
            return switch (code) {
                case "c" -> CREATE;
                case "r" -> READ;
                case "u" -> UPDATE;
                case "d" -> DELETE;
                default -> null;
            };
        }
    }
}
