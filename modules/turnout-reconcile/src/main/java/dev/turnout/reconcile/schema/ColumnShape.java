package dev.turnout.reconcile.schema;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One column as a catalog declares it.
 *
 * @param name      the column
 * @param udt       {@code information_schema.columns.udt_name}: {@code int4}, {@code varchar}, {@code _text}, an enum's
 *                  name
 * @param sqlType   the type as SQL writes it ({@code format_type}): {@code character varying(50)}, {@code numeric(8,2)}
 * @param nullable  whether it admits null
 * @param default_  its default expression, if any
 * @param length    declared length of a character type
 * @param precision declared precision of a numeric
 * @param scale     declared scale of a numeric
 * @param datetimePrecision fractional-second digits of a time or timestamp
 */
record ColumnShape(String name, String udt, String sqlType, boolean nullable, Optional<String> default_,
                   OptionalInt length, OptionalInt precision, OptionalInt scale, OptionalInt datetimePrecision) {
}
