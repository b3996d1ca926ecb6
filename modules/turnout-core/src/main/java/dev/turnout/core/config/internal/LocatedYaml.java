package dev.turnout.core.config.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.error.MarkedYAMLException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.turnout.core.config.ConfigException;
import dev.turnout.core.config.ConfigProblem;

/**
 * A YAML document read into a Jackson tree, with the line and column of every key and value.
 *
 * <p>Jackson's trees do not keep locations, so the document is read token by token. Every scalar is kept as its text
 * (numbers and booleans too): the declared {@code Spec} decides what the text must be, which lets {@code ${VAR}}
 * references stand anywhere a number may. Duplicate keys are problems, not silently last-wins.
 */
public final class LocatedYaml {

    /** A 1-based line and column. */
    public record Mark(int line, int column) {
        static final Mark START = new Mark(1, 1);
    }

    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private final String file;
    private final JsonNode root;
    private final Map<String, Mark> valueMarks;
    private final Map<String, Mark> keyMarks;

    private LocatedYaml(String file, JsonNode root, Map<String, Mark> valueMarks, Map<String, Mark> keyMarks) {
        this.file = file;
        this.root = root;
        this.valueMarks = valueMarks;
        this.keyMarks = keyMarks;
    }

    /**
     * Reads a document. Throws {@link ConfigException} for a syntax error, an empty file or duplicate keys, located.
     *
     * @param file name used in messages
     */
    public static LocatedYaml parse(String file, String text) {
        Reader reader = new Reader(file);
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ConfigException(new ConfigProblem(file, 1, 1, "", "the file is empty; expected a mapping "
                    + "with at least pipeline, kafka, source and target"));
            }
            JsonNode root = reader.read(parser, "");
            if (parser.nextToken() != null) {
                Mark m = mark(parser.currentTokenLocation());
                reader.problems.add(new ConfigProblem(file, m.line(), m.column(), "",
                    "expected a single YAML document, found another one"));
            }
            if (!reader.problems.isEmpty()) {
                throw new ConfigException(reader.problems);
            }
            return new LocatedYaml(file, root, reader.values, reader.keys);
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxProblem(file, e));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(file, 0, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    private static ConfigProblem syntaxProblem(String file, JsonProcessingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String problem = marked.getProblem();
            if (marked.getContext() != null) {
                problem = problem + " " + marked.getContext();
            }
            if (problem.contains("<block")) {
                // snakeyaml speaks of block tokens; what the user has to fix is nearly always indentation.
                problem = problem + "; check the indentation";
            }
            return new ConfigProblem(file, marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1,
                "", "YAML syntax error: " + problem);
        }
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : Math.max(loc.getLineNr(), 0);
        int column = loc == null ? 0 : Math.max(loc.getColumnNr(), 0);
        return new ConfigProblem(file, line, column, "", "YAML syntax error: " + e.getOriginalMessage());
    }

    private static Mark mark(JsonLocation loc) {
        return new Mark(loc.getLineNr(), loc.getColumnNr());
    }

    public String file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /** Where the value at {@code pointer} starts, or that of its nearest ancestor present in the file. */
    public Mark valueMark(String pointer) {
        for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Mark m = valueMarks.get(p);
            if (m != null) {
                return m;
            }
            if (p.isEmpty()) {
                return Mark.START;
            }
        }
    }

    /** Where the key of the value at {@code pointer} is written, falling back to {@link #valueMark}. */
    public Mark keyMark(String pointer) {
        Mark m = keyMarks.get(pointer);
        return m != null ? m : valueMark(pointer);
    }

    private static final class Reader {
        private final String file;
        private final Map<String, Mark> values = new HashMap<>();
        private final Map<String, Mark> keys = new HashMap<>();
        private final List<ConfigProblem> problems = new ArrayList<>();

        Reader(String file) {
            this.file = file;
        }

        JsonNode read(JsonParser p, String pointer) throws IOException {
            values.put(pointer, mark(p.currentTokenLocation()));
            JsonToken token = p.currentToken();
            switch (token) {
                case START_OBJECT -> {
                    ObjectNode object = JsonNodeFactory.instance.objectNode();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                        Mark keyMark = mark(p.currentTokenLocation());
                        p.nextToken();
                        if (object.has(name)) {
                            problems.add(new ConfigProblem(file, keyMark.line(), keyMark.column(), displayOf(child),
                                "duplicate key; it is already set at line " + keys.get(child).line()));
                            p.skipChildren();
                            continue;
                        }
                        keys.put(child, keyMark);
                        object.set(name, read(p, child));
                    }
                    return object;
                }
                case START_ARRAY -> {
                    ArrayNode array = JsonNodeFactory.instance.arrayNode();
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        array.add(read(p, pointer + "/" + i++));
                    }
                    return array;
                }
                case VALUE_NULL -> {
                    return NullNode.getInstance();
                }
                default -> {
                    return TextNode.valueOf(p.getText());
                }
            }
        }

        private static String displayOf(String pointer) {
            StringBuilder sb = new StringBuilder();
            for (String part : pointer.substring(1).split("/")) {
                String name = part.replace("~1", "/").replace("~0", "~");
                if (name.matches("\\d+")) {
                    sb.append('[').append(name).append(']');
                } else {
                    sb.append(sb.isEmpty() ? "" : ".").append(name);
                }
            }
            return sb.toString();
        }
    }
}
