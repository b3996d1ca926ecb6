package dev.turnout.core.avro;

import java.util.Locale;

import org.apache.avro.Schema;

/**
 * How a record's schema is named in the registry, as in Confluent's serializers. TopicNameStrategy ({@code <topic>-key},
 * {@code <topic>-value}) is the default; RecordNameStrategy uses the record's full name, so one subject spans topics;
 * TopicRecordNameStrategy combines both.
 */
public enum SubjectNameStrategy {
    TOPIC_NAME("TopicNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    RECORD_NAME("RecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    },
    TOPIC_RECORD_NAME("TopicRecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    };

    private final String className;

    SubjectNameStrategy(String className) {
        this.className = className;
    }

    /** The subject for a record of {@code schema} on {@code topic}. */
    public abstract String subject(String topic, boolean isKey, Schema schema);

    /** The strategy's class name as Confluent names it, without package. */
    public String className() {
        return className;
    }

    /**
     * Accepts the simple or fully qualified class name (Confluent's {@code io.confluent...TopicNameStrategy} too), so
     * existing client settings carry over.
     */
    public static SubjectNameStrategy fromConfig(String value) {
        String simple = value.substring(value.lastIndexOf('.') + 1).trim();
        for (SubjectNameStrategy s : values()) {
            if (s.className.equalsIgnoreCase(simple) || s.name().equals(simple.toUpperCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown subject name strategy '" + value
            + "': expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    }
}
