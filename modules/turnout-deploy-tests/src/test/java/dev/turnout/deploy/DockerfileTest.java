package dev.turnout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's promises, read from the file (no Docker engine here to build it): two stages, the Maven wrapper on a
 * JDK, a JRE-only runtime, a numeric non-root user, the service port, the mounted config, and sources that exist.
 */
class DockerfileTest {

    private static final String DOCKERFILE = Repo.read("Dockerfile");

    @Test
    void buildsWithTheWrapperOnAJdkAndRunsOnAJreAsNonRoot() {
        List<String> from = lines("^FROM (\\S+)");
        assertThat(from).hasSize(2);
        assertThat(from.get(0)).matches("eclipse-temurin:17-jdk");
        assertThat(from.get(1)).matches("eclipse-temurin:17-jre");
        assertThat(DOCKERFILE).contains("./mvnw -B -q -DskipTests -pl modules/turnout-app -am package");
        assertThat(lines("^USER (\\S+)")).containsExactly("10001:10001");
        assertThat(lines("^EXPOSE (\\d+)")).containsExactly("9464");
        assertThat(DOCKERFILE).contains("CMD [\"run\", \"-c\", \"/etc/turnout/turnout.yaml\"]");
        assertThat(DOCKERFILE).contains("COPY --from=build /src/modules/turnout-app/target/turnout-app.jar");
    }

    @Test
    void copiesOnlyWhatExistsAndWhatTheDockerignoreLetsThrough() {
        String dockerignore = Repo.read(".dockerignore");
        for (String source : lines("^COPY (?!--from)(.+) \\S+$")) {
            for (String path : source.split(" ")) {
                assertThat(Repo.file(path)).as("COPY source %s", path).exists();
                assertThat(dockerignore.lines()).as("%s is not excluded from the build context", path)
                    .doesNotContain(path, path + "/");
            }
        }
    }

    private static List<String> lines(String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(DOCKERFILE);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
