package dev.turnout.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.turnout.core.config.spec.Field;
import dev.turnout.core.config.spec.ListSpec;
import dev.turnout.core.config.spec.MapSpec;
import dev.turnout.core.config.spec.ObjectSpec;
import dev.turnout.core.config.spec.Spec;

/** The config reference as a Markdown table, generated from {@link TurnoutConfigSchema}; the README embeds it. */
public final class ConfigReference {

    /** Marks the start and end of the generated table in README.md. */
    public static final String BEGIN = "<!-- config-reference:begin (generated from TurnoutConfigSchema) -->";
    public static final String END = "<!-- config-reference:end -->";

    private ConfigReference() {
    }

    /** One documented key. */
    public record Row(String key, String type, String requiredOrDefault, String doc) {
    }

    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        collect(TurnoutConfigSchema.ROOT, "", rows);
        return rows;
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | description |\n");
        sb.append("|---|---|---|---|\n");
        for (Row r : rows()) {
            sb.append("| `").append(r.key()).append("` | ").append(cell(r.type())).append(" | ")
                .append(r.requiredOrDefault()).append(" | ").append(cell(r.doc())).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static void collect(ObjectSpec spec, String prefix, List<Row> rows) {
        for (Field f : spec.fields()) {
            String key = prefix + f.name();
            rows.add(new Row(key, f.spec().typeName(), requiredOrDefault(f), f.doc()));
            Spec s = f.spec();
            if (s instanceof ObjectSpec o) {
                collect(o, key + ".", rows);
            } else if (s instanceof ListSpec l && l.element() instanceof ObjectSpec o) {
                collect(o, key + "[].", rows);
            } else if (s instanceof MapSpec m && m.value() instanceof ObjectSpec o) {
                collect(o, key + ".<name>.", rows);
            }
        }
    }

    private static String requiredOrDefault(Field f) {
        if (f.isRequired()) {
            return "required";
        }
        return f.defaultValue().map(d -> {
            if (d instanceof List<?> l && l.isEmpty()) {
                return "`[]`";
            }
            if (d instanceof Map<?, ?> m && m.isEmpty()) {
                return "`{}`";
            }
            return f.isSecret() && String.valueOf(d).isEmpty() ? "empty" : "`" + d + "`";
        }).orElse("absent");
    }
}
