package dev.turnout.transform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.turnout.core.config.TableId;

/**
 * A source row mapped to its target table. Immutable.
 *
 * <p>Values are plain Java: null, {@code Long}, {@code Double}, {@code BigDecimal}, {@code String}, {@code Boolean},
 * {@code byte[]}, {@code Instant} for every date and time, {@code java.time.Duration} for times of day and intervals,
 * {@code List} and {@code Map} of these; or {@link UnavailableValue#INSTANCE} for a column the change does not carry.
 * The applier converts each to its target column's type.
 *
 * @param table  the target table
 * @param values target column to value, in the mapping's column order; values may be null
 * @param key    the target key columns and their values, in key order; never null or unavailable
 */
public record TargetRow(TableId table, Map<String, Object> values, Map<String, Object> key) {

    public TargetRow {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
    }
}
