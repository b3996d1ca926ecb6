package dev.turnout.transform.internal;

import static dev.turnout.transform.internal.CelValues.NULL;
import static dev.turnout.transform.internal.StringFunctions.nullSafe;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;

/**
 * Field access in {@code json}/{@code jsonb} columns, which Debezium delivers as text: {@code json(text, path)} gives
 * the value at {@code path} as CEL values (objects become maps, arrays lists, integers int, other numbers double),
 * {@code jsonText(text, path)} gives it as text, as PostgreSQL's {@code ->>} does. A missing path gives null; text
 * that is not JSON is an error. Paths are dotted ({@code a.b.0.c}, {@code a.b[0].c}) or, for keys containing dots,
 * JSON Pointers ({@code /a/b/0/c}); an empty path is the whole document. Stateless and thread-safe.
 */
final class JsonFunctions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final CelType S = SimpleType.STRING;

    private JsonFunctions() {
    }

    static void register(FunctionSet fs) {
        fs.add("json", "turnout_json_string_string", SimpleType.DYN, List.of(S, S), List.of(Object.class, String.class),
            nullSafe(args -> {
                JsonNode node = at((String) args[0], (String) args[1]);
                return node.isMissingNode() ? NULL : toCel(node);
            }));
        fs.add("jsonText", "turnout_jsonText_string_string", S, List.of(S, S), List.of(Object.class, String.class),
            nullSafe(args -> {
                JsonNode node = at((String) args[0], (String) args[1]);
                if (node.isMissingNode() || node.isNull()) {
                    return NULL;
                }
                return node.isValueNode() ? node.asText() : node.toString();
            }));
    }

    private static JsonNode at(String text, String path) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the offending text; only its position is kept.
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("the value is not JSON" + (at == null ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        return root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root.at(pointer(path));
    }

    /** A dotted path as a JSON Pointer; a path starting with '/' already is one. */
    static String pointer(String path) {
        if (path.isEmpty() || path.startsWith("/")) {
            return path;
        }
        StringBuilder sb = new StringBuilder();
        for (String part : path.replaceAll("\\[(\\d+)]", ".$1").split("\\.", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("JSON path '" + path + "' has an empty part");
            }
            sb.append('/').append(part.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    private static Object toCel(JsonNode node) {
        if (node.isNull()) {
            return NULL;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), toCel(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(e -> list.add(toCel(e)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : Decimal.of(new BigDecimal(node.bigIntegerValue()));
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }
}
