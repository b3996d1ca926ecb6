package dev.turnout.core.config.spec;

/**
 * The declared type of one config value: what it must look like, and how to describe it to a user.
 *
 * <p>Specs are immutable and shared; {@link ObjectSpec} trees declare a whole config file once, and both validation and
 * the generated reference documentation read that one declaration.
 */
public sealed interface Spec permits ScalarSpec, ObjectSpec, ListSpec, MapSpec {

    /** What a value must be, phrased to follow "expected", e.g. {@code "an integer from 1 to 10000"}. */
    String expected();

    /** A short type name for the reference table, e.g. {@code "integer"} or {@code "list of schema.table"}. */
    String typeName();
}
