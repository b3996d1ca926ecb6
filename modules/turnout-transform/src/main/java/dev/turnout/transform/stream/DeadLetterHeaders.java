package dev.turnout.transform.stream;

/**
 * Headers of a record the transform dead-letters to {@code turnout.<pipeline>.dlq}. The record keeps the original key
 * and value bytes and headers; these are added, each a UTF-8 string.
 */
public final class DeadLetterHeaders {

    /** Why the record could not be transformed: one line naming the table and the column or expression. */
    public static final String REASON = "turnout.dlq.reason";
    /** The CDC topic the record was read from. */
    public static final String SOURCE_TOPIC = "turnout.dlq.source.topic";
    /** Its partition, in decimal. */
    public static final String SOURCE_PARTITION = "turnout.dlq.source.partition";
    /** Its offset, in decimal. */
    public static final String SOURCE_OFFSET = "turnout.dlq.source.offset";
    /** The class of the error that rejected it. */
    public static final String ERROR_CLASS = "turnout.dlq.error.class";
    /** The pipeline stage that rejected it: {@value #TRANSFORM_STAGE} here. */
    public static final String STAGE = "turnout.dlq.stage";

    public static final String TRANSFORM_STAGE = "transform";

    private DeadLetterHeaders() {
    }
}
