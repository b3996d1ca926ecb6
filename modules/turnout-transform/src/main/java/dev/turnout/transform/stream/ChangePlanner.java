package dev.turnout.transform.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.turnout.schemas.apply.ApplyKey;
import dev.turnout.schemas.apply.ApplyOp;
import dev.turnout.schemas.apply.ApplyRecord;
import dev.turnout.schemas.apply.Origin;
import dev.turnout.schemas.apply.SourcePosition;
import dev.turnout.transform.MappingEvaluationException;
import dev.turnout.transform.TableMapping;
import dev.turnout.transform.TargetRow;

/**
 * What one change event becomes in its apply topic, and what the target-key store must remember of it. Stateless.
 *
 * <ul>
 *   <li>Create, snapshot read, update: the mapped row is an UPSERT under its target key. If the row was in the target
 *       under another target key (a key computed from non-key columns changed), that key gets a DELETE first; if the
 *       {@code where} filter now rejects a row that was in the target, the row gets a DELETE and no UPSERT.</li>
 *   <li>Delete: a DELETE of the target key the row had. For tracked tables that key comes from the store (the before
 *       image of {@code REPLICA IDENTITY DEFAULT} holds only the primary key); otherwise from the before image.</li>
 *   <li>A primary-key change arrives from Debezium as a delete of the old key and a create of the new one, and so
 *       becomes a DELETE of the old target key and an UPSERT of the new one.</li>
 * </ul>
 * Every record carries the position of the change that caused it, deletes included.
 */
final class ChangePlanner {

    /** One apply record to send to {@code sink}. */
    record Emit(String sink, ApplyKey key, ApplyRecord value) {
    }

    private ChangePlanner() {
    }

    /**
     * Plans the apply records of {@code event} and updates {@code store} to match, only once nothing can fail.
     *
     * @param store the target-key store; may be null when no table is tracked
     * @throws MappingEvaluationException if the mapping fails on the row
     * @throws PoisonRecordException      if a value cannot be carried or the target key cannot be computed
     */
    static List<Emit> plan(SourceTable table, ChangeEvent event, Origin origin, TargetKeyStore store) {
        TableMapping mapping = table.mapping();
        Optional<TargetRow> next = event.after() == null ? Optional.empty() : mapping.apply(event.after());
        ApplyKey nextKey = next.map(row -> key(table, row.key())).orElse(null);
        boolean stored = table.tracked() && event.sourceKey() != null;

        ApplyKey previous = null;
        if (stored) {
            previous = store.get(event.sourceKey()).orElse(null);
        } else if (event.op() == ChangeEvent.Op.DELETE || (table.tracked() && event.before() != null)) {
            previous = keyOfBefore(table, event);
        }

        List<Emit> out = new ArrayList<>(2);
        if (previous != null && !previous.equals(nextKey)) {
            out.add(new Emit(table.sink(), previous, new ApplyRecord(ApplyOp.DELETE, List.of(), event.position(), origin)));
        }
        if (next.isPresent()) {
            out.add(new Emit(table.sink(), nextKey, upsert(table, next.get(), event.position(), origin)));
        }
        if (stored) {
            if (nextKey != null && !nextKey.equals(previous)) {
                store.put(event.sourceKey(), nextKey);
            } else if (nextKey == null && previous != null) {
                store.remove(event.sourceKey());
            }
        }
        return out;
    }

    /** The target key the row had before the change, from its before image; null if it was outside the target. */
    private static ApplyKey keyOfBefore(SourceTable table, ChangeEvent event) {
        Map<String, Object> before = event.before();
        if (before == null) {
            if (event.op() == ChangeEvent.Op.DELETE) {
                throw new PoisonRecordException(PoisonKind.KEY, table.id() + ": the delete carries no before image, so "
                    + "its target key cannot be computed (the table's REPLICA IDENTITY is NOTHING?)", null);
            }
            return null;
        }
        TableMapping mapping = table.mapping();
        if (mapping.where().isPresent()) {
            return mapping.apply(before).map(row -> key(table, row.key())).orElse(null);
        }
        return key(table, mapping.keyOf(before));
    }

    private static ApplyKey key(SourceTable table, Map<String, Object> key) {
        try {
            return ApplyValues.key(key);
        } catch (IllegalArgumentException e) {
            throw new PoisonRecordException(PoisonKind.KEY, table.id() + ": target key " + e.getMessage(), e);
        }
    }

    private static ApplyRecord upsert(SourceTable table, TargetRow row, SourcePosition position, Origin origin) {
        try {
            return new ApplyRecord(ApplyOp.UPSERT, ApplyValues.columns(row), position, origin);
        } catch (IllegalArgumentException e) {
            throw new PoisonRecordException(PoisonKind.EXPRESSION, table.id() + ": " + e.getMessage(), e);
        }
    }
}
