package dev.turnout.core.avro;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import dev.turnout.core.registry.RegistryClientConfig;

/** Settings of {@link AvroSerializer}, {@link AvroDeserializer} and {@link AvroConverter}, named as Confluent's are. */
public final class AvroSerdeConfig extends RegistryClientConfig {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_TRUSTED_PACKAGES = "specific.avro.trusted.packages";

    private static final ConfigDef.Validator STRATEGY = (name, value) -> {
        try {
            SubjectNameStrategy.fromConfig(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    };

    static final ConfigDef CONFIG = baseConfigDef()
        .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
            "Register a record's schema when it is not yet in the subject. Off: the schema must already be registered.")
        .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.MEDIUM,
            "Serializer: write with the subject's latest schema. Deserializer: read into the subject's latest schema.")
        .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, "TopicNameStrategy", STRATEGY, Importance.MEDIUM,
            "Subject naming for keys: TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy.")
        .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, "TopicNameStrategy", STRATEGY, Importance.MEDIUM,
            "Subject naming for values: TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy.")
        .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
            "Deserialize into generated SpecificRecord classes instead of GenericRecord.")
        .define(SPECIFIC_AVRO_TRUSTED_PACKAGES, Type.LIST, "", Importance.MEDIUM,
            "Packages of generated classes the specific reader may instantiate. Avro 1.12 refuses classes it was not told "
                + "to trust; these are added to its trust (as org.apache.avro.SERIALIZABLE_PACKAGES would).");

    public AvroSerdeConfig(Map<?, ?> props) {
        super(CONFIG, props);
    }

    SubjectNameStrategy strategy(boolean isKey) {
        return SubjectNameStrategy.fromConfig(getString(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY));
    }
}
