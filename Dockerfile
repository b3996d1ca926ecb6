# syntax=docker/dockerfile:1
#
# Turnout's container image: built with the Maven wrapper on a JDK, run on a JRE as a non-root user.
#
#   docker build -t turnout .
#   docker run --rm -v "$PWD/turnout.yaml:/etc/turnout/turnout.yaml:ro" -p 9464:9464 turnout
#
# The config is mounted at /etc/turnout/turnout.yaml; it must set service.bind to 0.0.0.0:9464 for /metrics and
# /health to be reachable from outside the container. Extra JVM options: JDK_JAVA_OPTIONS.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY schemas schemas
COPY modules modules
# The Maven repository is a build cache, not part of any layer.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl modules/turnout-app -am package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 turnout \
 && useradd --system --uid 10001 --gid turnout --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin turnout \
 && mkdir -p /etc/turnout
COPY --from=build /src/modules/turnout-app/target/lib /opt/turnout/lib
COPY --from=build /src/modules/turnout-app/target/turnout-app.jar /opt/turnout/turnout-app.jar
# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
WORKDIR /tmp
EXPOSE 9464
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/turnout/turnout-app.jar"]
CMD ["run", "-c", "/etc/turnout/turnout.yaml"]
