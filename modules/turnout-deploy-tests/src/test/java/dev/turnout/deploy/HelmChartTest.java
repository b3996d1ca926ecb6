package dev.turnout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/**
 * The Helm chart, through the real Helm engine (helm-java's native library): it lints clean with {@code --strict}, and
 * {@code helm template} renders what Kubernetes and Prometheus need, for the default values and for others.
 */
class HelmChartTest {

    private static final Path CHART = Repo.file("helm/turnout");
    private static final String RELEASE = "shop";
    private static final String FULLNAME = "shop-turnout";

    @TempDir
    Path dir;

    @Test
    void lintPassesStrict() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaultValuesRenderCaptureAsOneRecreatedPodAndScalingWorkersWithProbesAndSecurity() throws Exception {
        List<JsonNode> docs = render(null);
        assertThat(kinds(docs)).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment",
            "Deployment", "Deployment");

        JsonNode capture = find(docs, "Deployment", FULLNAME + "-capture");
        assertThat(capture.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(capture.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        assertThat(args(capture)).containsExactly("capture", "-c", "/etc/turnout/turnout.yaml");
        JsonNode apply = find(docs, "Deployment", FULLNAME + "-apply");
        assertThat(apply.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(args(apply)).containsExactly("apply", "-c", "/etc/turnout/turnout.yaml");
        JsonNode reconcile = find(docs, "Deployment", FULLNAME + "-reconcile");
        assertThat(args(reconcile)).containsExactly("reconcile", "-c", "/etc/turnout/turnout.yaml");

        for (JsonNode deployment : List.of(capture, apply, reconcile)) {
            assertRunsTurnoutSafely(deployment, 9464);
            assertThat(env(deployment)).containsEntry("TURNOUT_LOG_FORMAT", "text")
                .doesNotContainKeys("SOURCE_PASSWORD", "TARGET_PASSWORD", "JDK_JAVA_OPTIONS");
        }
        assertThat(apply.at("/spec/template/metadata/annotations/checksum~1config").asText())
            .as("pods roll when the config changes").matches("[0-9a-f]{64}");

        JsonNode service = find(docs, "Service", FULLNAME);
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(9464);
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(service.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
        assertSelects(service.at("/spec/selector"), List.of(capture, apply, reconcile));

        String turnoutYaml = find(docs, "ConfigMap", FULLNAME).at("/data/turnout.yaml").asText();
        assertThat(Repo.YAML.readTree(turnoutYaml).at("/service/bind").asText()).isEqualTo("0.0.0.0:9464");
        assertPassesConfigCheck(turnoutYaml, Map.of());
        for (JsonNode doc : docs) {
            assertStandardLabels(doc.at("/metadata/labels"));
        }
    }

    @Test
    void nonDefaultValuesRenderMonitoringSecretsReplicasResourcesAndPort() throws Exception {
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, """
            service:
              port: 9555
            logFormat: json
            javaOptions: -Xss512k
            existingSecret: shop-db
            existingSecretKeys:
              SOURCE_PASSWORD: source
              TARGET_PASSWORD: target
            capture:
              resources:
                requests: {cpu: "1", memory: 2Gi}
                limits: {memory: 4Gi}
            workers:
              apply:
                replicas: 3
              reconcile:
                enabled: false
            config:
              pipeline: orders
              source:
                password: ${SOURCE_PASSWORD}
              target:
                password: ${TARGET_PASSWORD}
            serviceMonitor:
              enabled: true
              interval: 15s
              labels: {release: kube-prometheus-stack}
            prometheusRule:
              enabled: true
              labels: {release: kube-prometheus-stack}
              runbookBaseUrl: https://git.example.com/turnout/blob/main/
            """);
        List<JsonNode> docs = render(values);
        assertThat(kinds(docs)).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment",
            "Deployment", "ServiceMonitor", "PrometheusRule");

        JsonNode capture = find(docs, "Deployment", FULLNAME + "-capture");
        JsonNode apply = find(docs, "Deployment", FULLNAME + "-apply");
        assertThat(apply.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(capture.at("/spec/replicas").asInt()).as("capture never scales").isEqualTo(1);
        assertThat(capture.at("/spec/template/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("1");
        assertThat(capture.at("/spec/template/spec/containers/0/resources/requests/memory").asText()).isEqualTo("2Gi");
        assertThat(capture.at("/spec/template/spec/containers/0/resources/limits/memory").asText()).isEqualTo("4Gi");
        for (JsonNode deployment : List.of(capture, apply)) {
            assertRunsTurnoutSafely(deployment, 9555);
            assertThat(env(deployment)).containsEntry("TURNOUT_LOG_FORMAT", "json")
                .containsEntry("JDK_JAVA_OPTIONS", "-Xss512k");
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            assertThat(secretRef(container, "SOURCE_PASSWORD")).isEqualTo("shop-db/source");
            assertThat(secretRef(container, "TARGET_PASSWORD")).isEqualTo("shop-db/target");
        }

        String turnoutYaml = find(docs, "ConfigMap", FULLNAME).at("/data/turnout.yaml").asText();
        JsonNode config = Repo.YAML.readTree(turnoutYaml);
        assertThat(config.at("/service/bind").asText()).isEqualTo("0.0.0.0:9555");
        assertThat(config.at("/pipeline").asText()).isEqualTo("orders");
        assertThat(config.at("/source/password").asText()).isEqualTo("${SOURCE_PASSWORD}");
        assertThat(config.at("/source/url").asText()).as("values merge into the defaults")
            .isEqualTo("jdbc:postgresql://source-db:5432/app");
        assertPassesConfigCheck(turnoutYaml, Map.of("SOURCE_PASSWORD", "s3cret", "TARGET_PASSWORD", "t0p"));

        JsonNode monitor = find(docs, "ServiceMonitor", FULLNAME);
        assertThat(monitor.at("/apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
        JsonNode service = find(docs, "Service", FULLNAME);
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(9555);
        monitor.at("/spec/selector/matchLabels").properties().forEach(l ->
            assertThat(service.at("/metadata/labels/" + l.getKey().replace("/", "~1")).asText())
                .as("Service label %s", l.getKey()).isEqualTo(l.getValue().asText()));

        JsonNode rule = find(docs, "PrometheusRule", FULLNAME);
        assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        JsonNode expected = Repo.YAML.readTree(Repo.read(AlertRulesTest.RULES)
            .replace("runbook_url: README.md#", "runbook_url: https://git.example.com/turnout/blob/main/README.md#"));
        assertThat(rule.get("spec")).as("the PrometheusRule carries the rules file").isEqualTo(expected);
        for (JsonNode doc : docs) {
            assertStandardLabels(doc.at("/metadata/labels"));
        }
    }

    @Test
    void everyValueIsDocumented() throws Exception {
        List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
        Pattern key = Pattern.compile("^\\s*[A-Za-z_][A-Za-z0-9_]*:.*");
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (key.matcher(line).matches() && !line.contains(" # ")) {
                String previous = i == 0 ? "" : lines.get(i - 1).strip();
                if (!previous.startsWith("#")) {
                    undocumented.add((i + 1) + ": " + line.strip());
                }
            }
        }
        assertThat(undocumented).as("values without a comment above them").isEmpty();
    }

    private List<JsonNode> render(Path values) {
        var template = new Helm(CHART).template().withName(RELEASE).withNamespace("migration");
        if (values != null) {
            template = template.withValuesFile(values);
        }
        return Repo.yamlDocuments(template.call());
    }

    private void assertPassesConfigCheck(String turnoutYaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("rendered-turnout.yaml");
        Files.writeString(file, turnoutYaml);
        TurnoutCli.Result check = TurnoutCli.run(env, dir, "config", "check", "-c", file.toString());
        assertThat(check.exit()).as("turnout config check of the rendered config:\n%s", check.stderr()).isZero();
    }

    /** Probes on the named port, the port itself, the mounted config, and the pod and container security settings. */
    private static void assertRunsTurnoutSafely(JsonNode deployment, int port) {
        String name = deployment.at("/metadata/name").asText();
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(container.at("/ports/0/name").asText()).as("%s port name", name).isEqualTo("http");
        soft.assertThat(container.at("/ports/0/containerPort").asInt()).as("%s port", name).isEqualTo(port);
        soft.assertThat(container.at("/livenessProbe/httpGet/path").asText()).as(name).isEqualTo("/health/live");
        soft.assertThat(container.at("/livenessProbe/httpGet/port").asText()).as(name).isEqualTo("http");
        soft.assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(name).isEqualTo("/health/ready");
        soft.assertThat(container.at("/readinessProbe/httpGet/port").asText()).as(name).isEqualTo("http");
        soft.assertThat(container.at("/startupProbe/httpGet/path").asText()).as(name).isEqualTo("/health/live");
        soft.assertThat(container.at("/image").asText()).as(name).isEqualTo("turnout:0.1.0");
        soft.assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as("%s runAsNonRoot", name).isTrue();
        soft.assertThat(pod.at("/securityContext/runAsUser").asInt()).as(name).isEqualTo(10001);
        soft.assertThat(pod.at("/securityContext/seccompProfile/type").asText()).as(name).isEqualTo("RuntimeDefault");
        soft.assertThat(pod.at("/automountServiceAccountToken").asBoolean(true)).as(name).isFalse();
        soft.assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
        soft.assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
        soft.assertThat(container.at("/securityContext/capabilities/drop").toString()).as(name).isEqualTo("[\"ALL\"]");
        soft.assertThat(mountPath(container, "config")).as(name).isEqualTo("/etc/turnout");
        soft.assertThat(mountPath(container, "tmp")).as("%s writable /tmp", name).isEqualTo("/tmp");
        soft.assertThat(pod.at("/volumes").toString()).as(name).contains("\"emptyDir\"");
        JsonNode selector = deployment.at("/spec/selector/matchLabels");
        selector.properties().forEach(l -> soft.assertThat(
            deployment.at("/spec/template/metadata/labels/" + l.getKey().replace("/", "~1")).asText())
            .as("%s pod label %s", name, l.getKey()).isEqualTo(l.getValue().asText()));
        soft.assertAll();
    }

    private static void assertStandardLabels(JsonNode labels) {
        assertThat(labels.path("helm.sh/chart").asText()).isEqualTo("turnout-0.1.0");
        assertThat(labels.path("app.kubernetes.io/name").asText()).isEqualTo("turnout");
        assertThat(labels.path("app.kubernetes.io/instance").asText()).isEqualTo(RELEASE);
        assertThat(labels.path("app.kubernetes.io/version").asText()).isEqualTo("0.1.0");
        assertThat(labels.path("app.kubernetes.io/managed-by").asText()).isEqualTo("Helm");
    }

    private static void assertSelects(JsonNode selector, List<JsonNode> deployments) {
        for (JsonNode deployment : deployments) {
            JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
            selector.properties().forEach(l -> assertThat(podLabels.path(l.getKey()).asText())
                .as("pods of %s carry %s", deployment.at("/metadata/name").asText(), l.getKey())
                .isEqualTo(l.getValue().asText()));
        }
    }

    private static List<String> kinds(List<JsonNode> docs) {
        return docs.stream().map(d -> d.path("kind").asText()).toList();
    }

    private static JsonNode find(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())
                && name.equals(d.at("/metadata/name").asText())).findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + kinds(docs)));
    }

    private static List<String> args(JsonNode deployment) {
        List<String> args = new ArrayList<>();
        deployment.at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static Map<String, String> env(JsonNode deployment) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        deployment.at("/spec/template/spec/containers/0/env").forEach(e -> env.put(e.path("name").asText(),
            e.has("value") ? e.get("value").asText() : "<from " + e.path("valueFrom").fieldNames().next() + ">"));
        return env;
    }

    private static String secretRef(JsonNode container, String variable) {
        for (JsonNode e : container.path("env")) {
            if (variable.equals(e.path("name").asText())) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                return ref.path("name").asText() + "/" + ref.path("key").asText();
            }
        }
        return "absent";
    }

    private static String mountPath(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (volume.equals(m.path("name").asText())) {
                return m.path("mountPath").asText();
            }
        }
        return "absent";
    }
}
