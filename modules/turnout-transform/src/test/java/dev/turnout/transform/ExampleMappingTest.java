package dev.turnout.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.ConfigLoader;
import dev.turnout.core.config.LoadedConfig;
import dev.turnout.core.config.TableId;

/** The shipped examples/turnout.yaml compiles against the chat schema it describes, and its one-liner does what it says. */
class ExampleMappingTest {

    static final SourceSchema USERS = SourceSchema.of(TableId.parse("public.users"),
        SourceColumn.of("id", "int8", false).inPrimaryKey(1),
        SourceColumn.of("email", "text", false),
        SourceColumn.of("display_name", "text", true),
        SourceColumn.of("avatar_url", "text", true),
        SourceColumn.of("created_at", "timestamptz", false).withDatetimePrecision(6),
        SourceColumn.of("updated_at", "timestamptz", false).withDatetimePrecision(6));
    static final SourceSchema CONVERSATIONS = SourceSchema.of(TableId.parse("public.conversations"),
        SourceColumn.of("id", "int8", false).inPrimaryKey(1),
        SourceColumn.of("title", "text", false),
        SourceColumn.of("created_by", "int8", false),
        SourceColumn.of("created_at", "timestamptz", false).withDatetimePrecision(6));
    static final SourceSchema MESSAGES = SourceSchema.of(TableId.parse("public.messages"),
        SourceColumn.of("id", "int8", false).inPrimaryKey(1),
        SourceColumn.of("conversation_id", "int8", false),
        SourceColumn.of("sender_id", "int8", false),
        SourceColumn.of("body", "text", false),
        SourceColumn.of("sent_at", "timestamptz", false).withDatetimePrecision(6),
        SourceColumn.of("deleted_at", "timestamptz", true).withDatetimePrecision(6));

    private final LoadedConfig example = ConfigLoader.load(Path.of("../../examples/turnout.yaml"), Map.of());
    private final Mappings mappings = Mappings.compile(example,
        SourceCatalog.of(List.of(USERS, CONVERSATIONS, MESSAGES)));

    private String name(Object displayName) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 7L);
        row.put("email", "Ann.Lee@Example.org");
        row.put("display_name", displayName);
        row.put("created_at", "2024-05-01T10:00:00Z");
        row.put("updated_at", "2024-05-01T10:00:00Z");
        return (String) mappings.forSource(USERS.table()).orElseThrow().apply(row).orElseThrow().values().get("name");
    }

    @Test
    void nameIsTheDisplayNameWhenThereIsOne() {
        assertThat(name("Ann Lee")).isEqualTo("Ann Lee");
    }

    @Test
    void nameIsThePartOfTheEmailBeforeTheAtWhenDisplayNameIsNullEmptyOrBlank() {
        assertThat(name(null)).isEqualTo("Ann.Lee");
        assertThat(name("")).isEqualTo("Ann.Lee");
        assertThat(name("   ")).isEqualTo("Ann.Lee");
    }

    @Test
    void nameIsAOneLiner() {
        String expression = example.config().mappings().get(0).columns().get("name");
        assertThat(expression).doesNotContain("\n")
            .isEqualTo("!isBlank(row.display_name) ? row.display_name : part(row.email, '@', 0)");
    }

    @Test
    void everyCapturedTableHasAMappingAndTheUnmappedOneIsCopied() {
        assertThat(mappings.all()).extracting(m -> m.source() + " -> " + m.target() + (m.isIdentity() ? " (copy)" : ""))
            .containsExactly("public.users -> public.accounts", "public.conversations -> public.conversations (copy)",
                "public.messages -> public.messages");
    }

    @Test
    void softDeletedMessagesAreFilteredOut() {
        TableMapping messages = mappings.forSource(MESSAGES.table()).orElseThrow();
        Map<String, Object> row = new HashMap<>(Map.of("id", 1L, "conversation_id", 2L, "sender_id", 3L, "body", "hi",
            "sent_at", "2024-05-01T10:00:00Z"));
        row.put("deleted_at", null);
        assertThat(messages.apply(row)).isPresent();
        row.put("deleted_at", "2024-05-02T10:00:00Z");
        assertThat(messages.apply(row)).isEmpty();
    }
}
