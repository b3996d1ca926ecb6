package dev.turnout.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.turnout.transform.internal.ColumnReferences;
import dev.turnout.transform.internal.RowEnvironment;

/**
 * The PostgreSQL type each target column of a mapping needs, for creating or checking target tables.
 *
 * <p>A column that is a plain copy ({@code row.<column>}) keeps its source column's type, with its declared length,
 * precision and scale ({@code varchar(20)}, {@code numeric(10,2)}, {@code timestamptz(3)}, {@code int4[]}), when that
 * type is one every PostgreSQL has; a copy of an enum, domain or extension type becomes {@code text} (the change
 * carries its text), since the target may not have the type. A computed column takes the type of its CEL result:
 * string → {@code text}, int → {@code bigint}, double → {@code double precision}, decimal → {@code numeric},
 * bool → {@code boolean}, bytes → {@code bytea}, timestamp → {@code timestamptz}, duration → {@code interval},
 * lists, maps and dyn → {@code jsonb}.
 *
 * <p>Nullability: key columns are never null; a copy is nullable as its source column is; a computed column may be
 * null. Stateless.
 */
public final class TargetColumnTypes {

    /**
     * One target column with the type it needs.
     *
     * @param name     the target column
     * @param sqlType  its PostgreSQL type, as it may be written in {@code CREATE TABLE}
     * @param nullable whether the mapping may give it null
     * @param copyOf   the source column it copies, empty for a computed column
     */
    public record TypedColumn(String name, String sqlType, boolean nullable, Optional<String> copyOf) {
    }

    /** Types every PostgreSQL has, by {@code udt_name}: a copy keeps them. */
    private static final Set<String> BUILT_IN = Set.of("int2", "int4", "int8", "oid", "float4", "float8", "numeric",
        "money", "bool", "text", "varchar", "bpchar", "name", "uuid", "json", "jsonb", "xml", "inet", "cidr", "macaddr",
        "macaddr8", "bytea", "date", "time", "timetz", "timestamp", "timestamptz", "interval", "bit", "varbit",
        "tsvector", "tsquery", "point", "line", "lseg", "box", "path", "polygon", "circle", "int4range", "int8range",
        "numrange", "tsrange", "tstzrange", "daterange", "pg_lsn");

    /** Time types whose default (and largest) fractional-second precision is 6. */
    private static final Set<String> TIME_TYPES = Set.of("time", "timetz", "timestamp", "timestamptz");

    private TargetColumnTypes() {
    }

    /**
     * The typed target columns of every mapping, in {@link Mappings#all()} order, each in its mapping's column order.
     *
     * @throws UnknownTableException if the catalog no longer has a mapped source table
     * @throws CatalogException      if the catalog cannot be read
     */
    public static Map<TableMapping, List<TypedColumn>> of(Mappings mappings, SourceCatalog catalog) {
        Map<TableMapping, List<TypedColumn>> out = new LinkedHashMap<>();
        for (TableMapping mapping : mappings.all()) {
            out.put(mapping, of(mapping, catalog.schema(mapping.source())));
        }
        return out;
    }

    /** The typed target columns of one mapping, whose source table has {@code schema}. */
    public static List<TypedColumn> of(TableMapping mapping, SourceSchema schema) {
        RowEnvironment env = RowEnvironment.of(schema);
        List<TypedColumn> columns = new ArrayList<>();
        for (TargetColumn column : mapping.columns()) {
            boolean key = mapping.key().contains(column.name());
            Optional<SourceColumn> copied = copyOf(env, column.expression()).flatMap(schema::column);
            if (copied.isPresent()) {
                SourceColumn source = copied.get();
                columns.add(new TypedColumn(column.name(), sqlType(source), !key && source.nullable(),
                    Optional.of(source.name())));
            } else {
                columns.add(new TypedColumn(column.name(), sqlType(column.type()), !key, Optional.empty()));
            }
        }
        return List.copyOf(columns);
    }

    /** The PostgreSQL type of a CEL result type as {@link TargetColumn#type()} names it. */
    public static String sqlType(String celType) {
        if (celType.startsWith("list(") || celType.startsWith("map(")) {
            return "jsonb";
        }
        return switch (celType) {
            case "string", "null_type" -> "text";
            case "int" -> "bigint";
            case "uint" -> "numeric(20,0)";
            case "double" -> "double precision";
            case "decimal" -> "numeric";
            case "bool" -> "boolean";
            case "bytes" -> "bytea";
            case "timestamp" -> "timestamptz";
            case "duration" -> "interval";
            default -> "jsonb";
        };
    }

    /** The PostgreSQL type of a copied source column: its own, sized as declared, or text for a type the target may lack. */
    public static String sqlType(SourceColumn source) {
        String udt = source.type();
        if (udt.startsWith("_")) {
            String element = udt.substring(1);
            return (BUILT_IN.contains(element) ? element : "text") + "[]";
        }
        if (!BUILT_IN.contains(udt)) {
            return "text";
        }
        TypeModifiers declared = source.modifiers();
        if (declared.length().isPresent()) {
            return udt + "(" + declared.length().getAsInt() + ")";
        }
        if (udt.equals("numeric") && declared.precision().isPresent()) {
            return "numeric(" + declared.precision().getAsInt() + "," + declared.scale().orElse(0) + ")";
        }
        if (TIME_TYPES.contains(udt) && source.datetimePrecision().isPresent()
            && source.datetimePrecision().getAsInt() < 6) {
            return udt + "(" + source.datetimePrecision().getAsInt() + ")";
        }
        return udt;
    }

    private static Optional<String> copyOf(RowEnvironment env, String expression) {
        CelValidationResult parsed = env.parse(expression);
        if (parsed.hasError()) {
            return Optional.empty();
        }
        try {
            return ColumnReferences.of(parsed.getAst()).copyOf();
        } catch (CelValidationException e) {
            return Optional.empty();
        }
    }
}
