package dev.turnout.core.registry.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * How the embedded registry protects its HTTP API when it serves beyond loopback: HTTP basic auth, and TLS from a key
 * store. Both optional; {@link #NONE} is plain HTTP without auth, the loopback default.
 *
 * @param basicAuthUser     user clients must present, or {@code null} for no authentication
 * @param basicAuthPassword that user's password
 * @param keyStore          key store (PKCS12 or JKS) with the server's certificate and key, or {@code null} for plain HTTP
 * @param keyStorePassword  the key store's password (also the key's)
 */
public record RegistrySecurity(String basicAuthUser, String basicAuthPassword, Path keyStore, String keyStorePassword) {

    public static final RegistrySecurity NONE = new RegistrySecurity(null, null, null, null);

    public RegistrySecurity {
        if ((basicAuthUser == null) != (basicAuthPassword == null)) {
            throw new IllegalArgumentException("Schema registry basic auth needs both a user and a password");
        }
    }

    /** This security plus basic auth. */
    public RegistrySecurity withBasicAuth(String user, String password) {
        return new RegistrySecurity(user, password, keyStore, keyStorePassword);
    }

    /** This security plus TLS with the certificate in {@code keyStore}. */
    public RegistrySecurity withTls(Path keyStore, String password) {
        return new RegistrySecurity(basicAuthUser, basicAuthPassword, keyStore, password);
    }

    public boolean basicAuth() {
        return basicAuthUser != null;
    }

    /** The server's TLS context, when TLS is on. */
    Optional<SSLContext> sslContext() {
        if (keyStore == null) {
            return Optional.empty();
        }
        char[] password = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys.getKeyManagers(), null, null);
            return Optional.of(ctx);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Schema registry could not load its TLS key store " + keyStore + ": "
                + e.getMessage(), e);
        }
    }

    /** Names what is on, never the secrets. */
    @Override
    public String toString() {
        return "RegistrySecurity[basicAuth=" + basicAuth() + ", tls=" + (keyStore != null) + "]";
    }
}
