package dev.turnout.transform;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;
import dev.turnout.core.config.TurnoutConfig;
import dev.turnout.core.config.TurnoutConfig.MappingConfig;

/**
 * The compiled mappings of a pipeline: one {@link TableMapping} per captured table, from its {@code mappings} entry or,
 * for a table without one, its copy. Built once at start-up, validated against the source schema; immutable and
 * thread-safe.
 *
 * <pre>{@code
 * LoadedConfig loaded = ConfigLoader.load(path);
 * try (Connection c = DriverManager.getConnection(url, user, password)) {
 *     Mappings mappings = Mappings.compile(loaded, new CatalogReader(c));
 * }
 * }</pre>
 */
public final class Mappings {

    private final Map<TableId, TableMapping> bySource;

    private Mappings(Map<TableId, TableMapping> bySource) {
        this.bySource = java.util.Collections.unmodifiableMap(bySource);
    }

    /**
     * Compiles the mapping of every table in {@code source.tables} against its schema from {@code catalog}.
     *
     * @throws ConfigException  with every problem, each located in the config file: an unknown table, an unknown column
     *                          (with a near name), a syntax or type error, a {@code where} that is not boolean, a key
     *                          that is not among the target columns, a table without a key
     * @throws CatalogException if the catalog cannot be read
     */
    public static Mappings compile(LoadedConfig loaded, SourceCatalog catalog) {
        TurnoutConfig config = loaded.config();
        Problems problems = Problems.locatedIn(loaded);
        Map<TableId, TableMapping> bySource = new LinkedHashMap<>();
        List<TableId> tables = config.source().tables();
        for (int t = 0; t < tables.size(); t++) {
            TableId table = tables.get(t);
            SourceSchema schema;
            try {
                schema = catalog.schema(table);
            } catch (UnknownTableException e) {
                problems.add("source.tables[" + t + "]", e.getMessage());
                continue;
            }
            int m = indexOfMapping(config.mappings(), table);
            TableMapping mapping;
            if (m >= 0) {
                String prefix = "mappings[" + m + "].";
                mapping = new MappingCompiler(schema, prefix, prefix + "from", problems).compile(config.mappings().get(m));
            } else {
                mapping = new MappingCompiler(schema, "", "source.tables[" + t + "]", problems).identity();
            }
            bySource.put(table, mapping);
        }
        problems.throwIfAny();
        return new Mappings(bySource);
    }

    private static int indexOfMapping(List<MappingConfig> mappings, TableId table) {
        for (int i = 0; i < mappings.size(); i++) {
            if (mappings.get(i).from().equals(table)) {
                return i;
            }
        }
        return -1;
    }

    /** The mapping of a captured source table, empty for a table that is not captured. */
    public Optional<TableMapping> forSource(TableId table) {
        return Optional.ofNullable(bySource.get(table));
    }

    /** Every table's mapping, in {@code source.tables} order. */
    public Collection<TableMapping> all() {
        return bySource.values();
    }
}
