package dev.turnout.core.config.spec;

/** A YAML sequence whose every element has the same spec. */
public record ListSpec(Spec element, boolean nonEmpty) implements Spec {

    public static ListSpec of(Spec element) {
        return new ListSpec(element, false);
    }

    public static ListSpec nonEmpty(Spec element) {
        return new ListSpec(element, true);
    }

    @Override
    public String expected() {
        return (nonEmpty ? "a non-empty list of " : "a list of ") + element.typeName();
    }

    @Override
    public String typeName() {
        return "list of " + element.typeName();
    }
}
