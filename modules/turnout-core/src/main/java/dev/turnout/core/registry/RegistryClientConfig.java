package dev.turnout.core.registry;

import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of a {@link RestSchemaRegistryClient}, under the property names Confluent's serializers use, so an existing
 * client configuration carries over unchanged.
 */
public class RegistryClientConfig extends AbstractConfig {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** The declarations, for subclasses to extend. */
    public static ConfigDef baseConfigDef() {
        return new ConfigDef()
            .define(URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "Comma-separated registry URLs; the next is tried when one cannot be reached.")
            .define(BASIC_AUTH_SOURCE, Type.STRING, "URL", ConfigDef.ValidString.in("URL", "USER_INFO"), Importance.MEDIUM,
                "Where basic-auth credentials come from: URL (user:password@ in the URL) or USER_INFO.")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                "user:password for basic auth when the source is USER_INFO.")
            .define(REQUEST_TIMEOUT_MS, Type.INT, 30_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                "How long one registry request may take.")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                "Trust store for https registry URLs; the JDK's default trust when absent.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of the trust store.")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Trust store type: JKS or PKCS12.")
            .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                "Key store with the client certificate for mutual TLS.")
            .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of the key store.")
            .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Key store type: JKS or PKCS12.")
            .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW, "Password of the key in the key store.");
    }

    public RegistryClientConfig(Map<?, ?> props) {
        this(baseConfigDef(), props);
    }

    protected RegistryClientConfig(ConfigDef def, Map<?, ?> props) {
        super(def, props, false);
    }

    static String reveal(Password password) {
        return password == null ? null : password.value();
    }
}
