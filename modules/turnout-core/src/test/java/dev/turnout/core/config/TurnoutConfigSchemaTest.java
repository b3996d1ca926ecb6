package dev.turnout.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.spec.Field;
import dev.turnout.core.config.spec.ListSpec;
import dev.turnout.core.config.spec.MapSpec;
import dev.turnout.core.config.spec.ObjectSpec;
import dev.turnout.core.config.spec.Spec;

class TurnoutConfigSchemaTest {

    @Test
    void everyKeyHasADescription() {
        assertThat(ConfigReference.rows())
            .isNotEmpty()
            .allSatisfy(row -> assertThat(row.doc()).as("doc of %s", row.key()).isNotBlank().endsWith("."));
    }

    @Test
    void everyDeclaredObjectMatchesTheRecordItBindsTo() {
        forEachObject(TurnoutConfigSchema.ROOT, spec -> {
            List<String> components = Arrays.stream(spec.type().getRecordComponents()).map(RecordComponent::getName).toList();
            assertThat(components).as("components of %s", spec.type().getSimpleName())
                .containsExactlyElementsOf(spec.fieldNames());
        });
    }

    @Test
    void theReadmeEmbedsTheGeneratedConfigReference() throws IOException {
        Path readme = Path.of("../../README.md");
        String text = Files.readString(readme);
        String generated = ConfigReference.BEGIN + "\n" + ConfigReference.markdown() + ConfigReference.END;
        if (Boolean.getBoolean("turnout.updateReadme")) {
            int begin = text.indexOf(ConfigReference.BEGIN);
            int end = text.indexOf(ConfigReference.END) + ConfigReference.END.length();
            Files.writeString(readme, text.substring(0, begin) + generated + text.substring(end));
            text = Files.readString(readme);
        }
        assertThat(text).as("README.md config reference is stale; regenerate with "
            + "./mvnw -pl modules/turnout-core test -Dtest=TurnoutConfigSchemaTest -Dturnout.updateReadme=true")
            .contains(generated);
    }

    private static void forEachObject(Spec spec, java.util.function.Consumer<ObjectSpec> action) {
        if (spec instanceof ObjectSpec o) {
            action.accept(o);
            for (Field f : o.fields()) {
                forEachObject(f.spec(), action);
            }
        } else if (spec instanceof ListSpec l) {
            forEachObject(l.element(), action);
        } else if (spec instanceof MapSpec m) {
            forEachObject(m.value(), action);
        }
    }
}
