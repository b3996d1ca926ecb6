package dev.turnout.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into {@code turnout-version.properties} at build time. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties props = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/turnout-version.properties")) {
            if (in != null) {
                props.load(in);
            }
        }
        return new String[] {
            "turnout " + props.getProperty("version", "unknown"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
