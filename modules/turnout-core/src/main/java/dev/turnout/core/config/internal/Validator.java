package dev.turnout.core.config.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.turnout.core.config.ConfigProblem;
import dev.turnout.core.config.Secret;
import dev.turnout.core.config.Suggestions;
import dev.turnout.core.config.spec.Field;
import dev.turnout.core.config.spec.ListSpec;
import dev.turnout.core.config.spec.MapSpec;
import dev.turnout.core.config.spec.ObjectSpec;
import dev.turnout.core.config.spec.ScalarSpec;
import dev.turnout.core.config.spec.Spec;

/**
 * Checks a {@link LocatedYaml} document against a {@link Spec} in one pass, collecting every problem, and produces the
 * normalised tree that binding reads: environment references expanded, scalars converted, defaults filled in.
 *
 * <p>Not thread-safe; one instance per load.
 */
public final class Validator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocatedYaml doc;
    private final EnvExpander env;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public Validator(LocatedYaml doc, Map<String, String> environment) {
        this.doc = doc;
        this.env = new EnvExpander(environment);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Validates the whole document against {@code root}; returns the normalised tree (meaningful only if no problems). */
    public JsonNode validate(ObjectSpec root) {
        return validate(root, doc.root(), KeyPath.ROOT, false);
    }

    private JsonNode validate(Spec spec, JsonNode node, KeyPath path, boolean secret) {
        if (spec instanceof ScalarSpec scalar) {
            return scalar(scalar, node, path, secret);
        }
        if (spec instanceof ObjectSpec object) {
            return object(object, node, path);
        }
        if (spec instanceof ListSpec list) {
            return list(list, node, path);
        }
        return map((MapSpec) spec, node, path);
    }

    private JsonNode object(ObjectSpec spec, JsonNode node, KeyPath path) {
        if (!node.isObject()) {
            return wrongType(spec, node, path, false);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (spec.field(name).isEmpty()) {
                String hint = Suggestions.closest(name, spec.fieldNames())
                    .map(s -> "; did you mean '" + s + "'?")
                    .orElse("; expected one of " + String.join(", ", spec.fieldNames()));
                problemAtKey(path.key(name), "unknown key" + hint);
            }
        }
        for (Field field : spec.fields()) {
            KeyPath child = path.key(field.name());
            JsonNode value = node.get(field.name());
            if (value == null || value.isNull()) {
                if (field.isRequired()) {
                    problemAtKey(path, child,
                        "missing required key (expected " + field.spec().expected() + ")");
                } else if (field.defaultValue().isPresent()) {
                    out.set(field.name(), validate(field.spec(), asYamlTree(field.defaultValue().get()), child,
                        field.isSecret()));
                } else {
                    out.set(field.name(), NullNode.getInstance());
                }
                continue;
            }
            out.set(field.name(), validate(field.spec(), value, child, field.isSecret()));
        }
        return out;
    }

    private JsonNode list(ListSpec spec, JsonNode node, KeyPath path) {
        if (!node.isArray()) {
            return wrongType(spec, node, path, false);
        }
        if (spec.nonEmpty() && node.isEmpty()) {
            problemAtValue(path, "expected " + spec.expected() + ", got an empty list");
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < node.size(); i++) {
            out.add(validate(spec.element(), node.get(i), path.index(i), false));
        }
        return out;
    }

    private JsonNode map(MapSpec spec, JsonNode node, KeyPath path) {
        if (!node.isObject()) {
            return wrongType(spec, node, path, false);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            KeyPath child = path.key(e.getKey());
            try {
                spec.key().parse(e.getKey());
            } catch (IllegalArgumentException bad) {
                problemAtKey(child, "invalid key: expected " + spec.key().expected());
            }
            if (e.getValue().isNull()) {
                problemAtValue(child, "expected " + spec.value().expected() + ", got nothing");
                continue;
            }
            out.set(e.getKey(), validate(spec.value(), e.getValue(), child, spec.isSecretKey(e.getKey())));
        }
        return out;
    }

    private JsonNode scalar(ScalarSpec spec, JsonNode node, KeyPath path, boolean secret) {
        if (!node.isTextual()) {
            return wrongType(spec, node, path, secret);
        }
        String text;
        try {
            text = env.expand(node.textValue());
        } catch (EnvExpander.BadReference e) {
            problemAtValue(path, e.getMessage());
            return NullNode.getInstance();
        }
        try {
            return JSON.valueToTree(spec.parse(text));
        } catch (IllegalArgumentException e) {
            String shown = secret ? Secret.MASK : TextNode.valueOf(text).toString();
            String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
            problemAtValue(path, "expected " + spec.expected() + ", got " + shown + reason);
            return NullNode.getInstance();
        }
    }

    private JsonNode wrongType(Spec spec, JsonNode node, KeyPath path, boolean secret) {
        String got;
        if (node.isObject()) {
            got = "a mapping";
        } else if (node.isArray()) {
            got = "a list";
        } else if (secret) {
            got = Secret.MASK;
        } else {
            got = node.toString();
        }
        problemAtValue(path, "expected " + spec.expected() + ", got " + got);
        return NullNode.getInstance();
    }

    private void problemAtValue(KeyPath path, String message) {
        LocatedYaml.Mark m = doc.valueMark(path.pointer());
        problems.add(new ConfigProblem(doc.file(), m.line(), m.column(), path.display(), message));
    }

    private void problemAtKey(KeyPath path, String message) {
        problemAtKey(path, path, message);
    }

    private void problemAtKey(KeyPath locateAt, KeyPath named, String message) {
        LocatedYaml.Mark m = doc.keyMark(locateAt.pointer());
        problems.add(new ConfigProblem(doc.file(), m.line(), m.column(), named.display(), message));
    }

    /** A default written as Java values, in the same text-scalar form the YAML reader produces. */
    private static JsonNode asYamlTree(Object value) {
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            map.forEach((k, v) -> o.set(String.valueOf(k), asYamlTree(v)));
            return o;
        }
        if (value instanceof List<?> list) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            list.forEach(v -> a.add(asYamlTree(v)));
            return a;
        }
        return TextNode.valueOf(String.valueOf(value));
    }
}
