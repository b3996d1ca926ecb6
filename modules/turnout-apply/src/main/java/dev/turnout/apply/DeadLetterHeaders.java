package dev.turnout.apply;

/**
 * Headers of a record the applier sends to the dead-letter topic ({@code TopicNames.deadLetters(pipeline)}). The record
 * keeps the apply record's original key and value bytes; these headers say why and where from.
 */
public final class DeadLetterHeaders {

    /** One line: the table, the column if known, what is wrong with the value, and PostgreSQL's message. */
    public static final String REASON = "turnout.dlq.reason";
    /** The apply topic the record was read from. */
    public static final String SOURCE_TOPIC = "turnout.dlq.source.topic";
    /** Its partition, as decimal text. */
    public static final String SOURCE_PARTITION = "turnout.dlq.source.partition";
    /** Its offset, as decimal text. */
    public static final String SOURCE_OFFSET = "turnout.dlq.source.offset";
    /** The class of the error that made the record poison. */
    public static final String ERROR_CLASS = "turnout.dlq.error.class";
    /** The pipeline stage that rejected it: {@value #STAGE_APPLY} here. */
    public static final String STAGE = "turnout.dlq.stage";
    /** The value of {@link #STAGE} for the applier. */
    public static final String STAGE_APPLY = "apply";

    private DeadLetterHeaders() {
    }
}
