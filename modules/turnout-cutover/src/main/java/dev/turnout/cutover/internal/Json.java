package dev.turnout.cutover.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.turnout.cutover.CutoverException;
import dev.turnout.cutover.CutoverException.Kind;

/** JSON of plans, snapshots and certificates: indented, ISO-8601 instants, nulls left out, unknown fields ignored. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
        .build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static void writeFile(Object value, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, write(value));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CutoverException(Kind.FAILED, "Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static <T> T readFile(Path file, Class<T> type, String what) {
        try {
            return MAPPER.readValue(Files.readString(file), type);
        } catch (NoSuchFileException e) {
            throw new CutoverException(Kind.INVALID_INPUT, file + ": no such file (expected a " + what + ")");
        } catch (JsonProcessingException e) {
            throw new CutoverException(Kind.INVALID_INPUT, file + ": not a " + what + " (" + e.getOriginalMessage()
                + " at line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new CutoverException(Kind.INVALID_INPUT, file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static <T> T read(String text, Class<T> type, String what) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new CutoverException(Kind.INVALID_INPUT, "Not a " + what + ": " + e.getOriginalMessage());
        }
    }
}
