package dev.turnout.transform.stream;

/** Why a CDC record cannot be transformed; the value of the {@code reason} tag of {@code turnout.transform.dlq}. */
enum PoisonKind {
    /** The bytes are not Avro in the Confluent wire format, or not a Debezium change event. */
    UNDECODABLE("undecodable"),
    /** A column expression or the {@code where} filter failed on the row. */
    EXPRESSION("expression"),
    /** The target key cannot be computed: a key column is null or unknown, or a delete carries too little. */
    KEY("key");

    final String tag;

    PoisonKind(String tag) {
        this.tag = tag;
    }
}
