package dev.turnout.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Writes a report record as indented JSON, times in ISO-8601. */
final class JsonReports {

    private static final JsonMapper JSON = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();

    private JsonReports() {
    }

    static void write(Path file, Object report) {
        try {
            Files.writeString(file, JSON.writeValueAsString(report) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report to " + file + ": " + e.getMessage(), e);
        }
    }
}
