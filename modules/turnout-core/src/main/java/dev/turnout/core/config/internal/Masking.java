package dev.turnout.core.config.internal;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.turnout.core.config.Secret;
import dev.turnout.core.config.spec.Field;
import dev.turnout.core.config.spec.ListSpec;
import dev.turnout.core.config.spec.MapSpec;
import dev.turnout.core.config.spec.ObjectSpec;
import dev.turnout.core.config.spec.Spec;

/** A copy of a normalised config tree fit to show: secrets replaced by {@link Secret#MASK}, absent keys left out. */
public final class Masking {

    private Masking() {
    }

    public static JsonNode masked(Spec spec, JsonNode node) {
        if (node == null || node.isNull()) {
            return node;
        }
        if (spec instanceof ObjectSpec object) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Field f : object.fields()) {
                JsonNode v = node.get(f.name());
                if (v != null && !v.isNull()) {
                    out.set(f.name(), f.isSecret() ? mask(v) : masked(f.spec(), v));
                }
            }
            return out;
        }
        if (spec instanceof ListSpec list) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(masked(list.element(), e)));
            return out;
        }
        if (spec instanceof MapSpec map) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), map.isSecretKey(e.getKey()) ? mask(e.getValue()) : masked(map.value(), e.getValue()));
            }
            return out;
        }
        return node;
    }

    private static JsonNode mask(JsonNode value) {
        // An empty secret is shown as empty: that it is unset is useful to know and reveals nothing.
        return value.isTextual() && value.textValue().isEmpty() ? value : TextNode.valueOf(Secret.MASK);
    }
}
