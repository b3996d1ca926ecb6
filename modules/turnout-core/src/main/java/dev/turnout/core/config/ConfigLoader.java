package dev.turnout.core.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.turnout.core.config.internal.LocatedYaml;
import dev.turnout.core.config.internal.Masking;
import dev.turnout.core.config.internal.Validator;

/**
 * Loads {@code turnout.yaml}: reads it with locations, expands {@code ${VAR}} references, validates every key against
 * {@link TurnoutConfigSchema} and the cross-key rules, and binds the result into {@link TurnoutConfig}.
 *
 * <p>All problems are collected in one pass and thrown together as a {@link ConfigException}, each with
 * {@code file:line:column} and key path. Stateless and thread-safe.
 */
public final class ConfigLoader {

    private static final ObjectMapper BINDER = JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();

    private static final YAMLMapper PRINTER = new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .build());

    private ConfigLoader() {
    }

    /** Loads a file, expanding references from the process environment. */
    public static LoadedConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Loads a file, expanding references from {@code env}. */
    public static LoadedConfig load(Path file, Map<String, String> env) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigProblem(name, 0, 0, "", "no such file"));
        } catch (MalformedInputException e) {
            throw new ConfigException(new ConfigProblem(name, 0, 0, "", "not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(name, 0, 0, "", "cannot read the file: " + e.getMessage()));
        }
        return parse(name, text, env);
    }

    /** Loads config text; {@code file} names it in messages. */
    public static LoadedConfig parse(String file, String text, Map<String, String> env) {
        LocatedYaml doc = LocatedYaml.parse(file, text);
        Validator validator = new Validator(doc, env);
        JsonNode normalised = validator.validate(TurnoutConfigSchema.ROOT);
        List<ConfigProblem> problems = new ArrayList<>(validator.problems());
        if (problems.isEmpty()) {
            problems.addAll(CrossKeyRules.check(doc, normalised));
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
            throw new ConfigException(problems);
        }
        TurnoutConfig config;
        try {
            config = BINDER.treeToValue(normalised, TurnoutConfig.class);
        } catch (JsonProcessingException e) {
            // Validation accepted something the records cannot hold: a schema/record mismatch, a bug in Turnout.
            throw new IllegalStateException("validated config did not bind to TurnoutConfig: " + e.getOriginalMessage(), e);
        }
        return new LoadedConfig(file, config, effectiveYaml(normalised), doc);
    }

    private static String effectiveYaml(JsonNode normalised) {
        try {
            return PRINTER.writeValueAsString(Masking.masked(TurnoutConfigSchema.ROOT, normalised));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not print the effective config", e);
        }
    }
}
