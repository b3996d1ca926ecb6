package dev.turnout.transform;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One column of a source table, as the catalog describes it.
 *
 * @param name               the column name
 * @param type               the PostgreSQL type as {@code information_schema.columns.udt_name} names it: {@code int4},
 *                           {@code varchar}, {@code numeric}, {@code timestamptz}, {@code jsonb}; arrays start with an
 *                           underscore ({@code _text}); enums and other user-defined types carry their own name
 * @param datetimePrecision  fractional-second digits of a time or timestamp column (0–6), which decides whether
 *                           Debezium sends it in milliseconds or microseconds; empty for other types
 * @param nullable           whether the column admits null
 * @param primaryKeyPosition 1-based position in the primary key, empty if the column is not part of it
 * @param modifiers          the declared length, precision and scale, where the type has them ({@code varchar(20)},
 *                           {@code numeric(10,2)}); {@link TypeModifiers#NONE} when unknown
 */
public record SourceColumn(String name, String type, OptionalInt datetimePrecision, boolean nullable,
                           OptionalInt primaryKeyPosition, TypeModifiers modifiers) {

    public SourceColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(datetimePrecision, "datetimePrecision");
        Objects.requireNonNull(primaryKeyPosition, "primaryKeyPosition");
        Objects.requireNonNull(modifiers, "modifiers");
    }

    /** A column whose declared size is unknown (or that has none). */
    public SourceColumn(String name, String type, OptionalInt datetimePrecision, boolean nullable,
                        OptionalInt primaryKeyPosition) {
        this(name, type, datetimePrecision, nullable, primaryKeyPosition, TypeModifiers.NONE);
    }

    /** A column outside the primary key and without a declared precision. */
    public static SourceColumn of(String name, String type, boolean nullable) {
        return new SourceColumn(name, type, OptionalInt.empty(), nullable, OptionalInt.empty());
    }

    /** The same column at {@code position} (1-based) of the primary key; key columns are never null. */
    public SourceColumn inPrimaryKey(int position) {
        return new SourceColumn(name, type, datetimePrecision, false, OptionalInt.of(position), modifiers);
    }

    /** The same column with {@code digits} of fractional seconds. */
    public SourceColumn withDatetimePrecision(int digits) {
        return new SourceColumn(name, type, OptionalInt.of(digits), nullable, primaryKeyPosition, modifiers);
    }

    /** The same column with a declared length, precision or scale. */
    public SourceColumn withModifiers(TypeModifiers declared) {
        return new SourceColumn(name, type, datetimePrecision, nullable, primaryKeyPosition, declared);
    }
}
