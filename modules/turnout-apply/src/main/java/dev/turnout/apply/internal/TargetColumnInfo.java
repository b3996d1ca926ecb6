package dev.turnout.apply.internal;

import java.util.OptionalInt;

/**
 * One column of a target table as the target catalog describes it.
 *
 * @param name        the column name
 * @param castType    the type without modifiers ({@code character varying}, {@code numeric}, {@code text[]}, a domain's
 *                    name): what a value is cast to before assignment, so that assignment checks length and range as
 *                    PostgreSQL's own casts to the declared type would not ({@code 'abcdef'::varchar(3)} truncates)
 * @param declaredType the type as declared ({@code character varying(5)}, {@code numeric(10,2)})
 * @param baseType    the underlying type without modifiers (a domain's base type; otherwise {@code castType}), which
 *                    decides how values are written as text
 * @param category    {@code pg_type.typcategory} of the base type: A array, B boolean, D date/time, N numeric, S string,
 *                    T timespan, U user-defined (json, jsonb, uuid, bytea), ...
 * @param notNull     whether the column is NOT NULL
 * @param hasDefault  whether it has a default (or is an identity or generated column)
 * @param maxLength   the declared length of a {@code varchar(n)} or {@code char(n)}
 */
public record TargetColumnInfo(String name, String castType, String declaredType, String baseType, char category,
                               boolean notNull, boolean hasDefault, OptionalInt maxLength) {

    public boolean isArray() {
        return category == 'A';
    }

    public boolean isDate() {
        return baseType.equals("date");
    }

    public boolean isTimeOfDay() {
        return baseType.startsWith("time without") || baseType.startsWith("time with");
    }

    public boolean isInterval() {
        return baseType.equals("interval");
    }
}
