package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile: the one image recipe of all four services. */
class DockerfileTest {

    private static final Path DOCKERFILE = Manifests.ROOT.resolve("docker/Dockerfile");
    private static final String TEXT = Manifests.read(DOCKERFILE);
    /** Instructions with comment lines dropped and continuation lines joined, as Docker reads them. */
    private static final List<String> INSTRUCTIONS = String.join("\n", TEXT.lines()
                    .filter(line -> !line.strip().startsWith("#")).toList())
            .replace("\\\n", " ").lines().map(String::strip).filter(line -> !line.isEmpty()).toList();

    @Test
    void shouldPinTheJreBaseImageByVersion() {
        Matcher base = Pattern.compile("ARG JRE_IMAGE=(\\S+)").matcher(TEXT);
        assertThat(base.find()).isTrue();
        assertThat(base.group(1)).matches("eclipse-temurin:25\\.\\d+\\.\\d+_\\d+-jre-[a-z]+");
        assertThat(INSTRUCTIONS.stream().filter(i -> i.startsWith("FROM ")))
                .hasSize(2).allSatisfy(from -> assertThat(from).startsWith("FROM ${JRE_IMAGE}"));
    }

    @Test
    void shouldBuildAnyServiceFromItsExecutableJarWithBootsLayeredExtract() {
        assertThat(INSTRUCTIONS).contains("ARG SERVICE");
        assertThat(TEXT).contains("COPY ${SERVICE}/target/${SERVICE}-0.1.0-SNAPSHOT-exec.jar app.jar")
                .contains("java -Djarmode=tools -jar app.jar extract --layers --launcher");
        List<String> copies = INSTRUCTIONS.stream().filter(i -> i.startsWith("COPY --from=extract")).toList();
        assertThat(copies).as("least to most frequently changing layer").extracting(c -> c.split("\\s+")[2])
                .containsExactly("/build/extracted/dependencies/", "/build/extracted/spring-boot-loader/",
                        "/build/extracted/snapshot-dependencies/", "/build/extracted/application/");
        assertThat(TEXT).contains("org.springframework.boot.loader.launch.JarLauncher");
        for (String service : Manifests.SERVICES) {
            assertThat(Manifests.ROOT.resolve(service).resolve("pom.xml")).isRegularFile();
        }
    }

    @Test
    void shouldRunAsANonRootUserWithTheUidTheKubernetesManifestsExpect() {
        List<String> users = INSTRUCTIONS.stream().filter(i -> i.startsWith("USER ")).toList();
        assertThat(users).containsExactly("USER 10001:10001");
        int user = INSTRUCTIONS.indexOf("USER 10001:10001");
        assertThat(INSTRUCTIONS.subList(user, INSTRUCTIONS.size())).noneMatch(i -> i.startsWith("RUN "));
    }

    @Test
    void shouldSizeTheHeapFromTheContainerLimitAndExecJava() {
        assertThat(INSTRUCTIONS).filteredOn(i -> i.startsWith("ENV ")).singleElement().asString()
                .contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("-Xmx");
        assertThat(INSTRUCTIONS).filteredOn(i -> i.startsWith("ENTRYPOINT")).singleElement().asString()
                .contains("exec java $JAVA_OPTS");
    }

    @Test
    void shouldRunWithTheJvmFlagsTheBenchmarksMeasureAndTheDocsRecommend() {
        Matcher bench = Pattern.compile("RECOMMENDED_JAVA_OPTS=\"([^\"]+)\"")
                .matcher(Manifests.read(Manifests.ROOT.resolve("bench/run")));
        assertThat(bench.find()).isTrue();
        assertThat(Manifests.read(Manifests.ROOT.resolve("docs/architecture.md")))
                .as("the recommended flags are the measured ones").contains("`" + bench.group(1) + "`");
        // in a container, half of a 512 MiB limit is the benchmark's 256 MB heap; the other flags are the same
        String image = INSTRUCTIONS.stream().filter(i -> i.startsWith("ENV ")).findFirst().orElseThrow();
        assertThat(image).contains("-XX:MaxRAMPercentage=50.0");
        for (String flag : bench.group(1).split(" ")) {
            if (!flag.startsWith("-Xm")) {
                assertThat(image).contains(flag);
            }
        }
    }

    @Test
    void shouldGiveTheAggregatorInKubernetesAndComposeTheHeapAndFlagsTheBenchmarksMeasure() {
        assertDeploymentsRunWithTheMeasuredFlags("aggregator", "-Xmx", "MaxRAMPercentage");
    }

    @Test
    void shouldGiveTheProcessorInKubernetesAndComposeTheInitialHeapAndFlagsTheBenchmarksMeasure() {
        assertDeploymentsRunWithTheMeasuredFlags("processor", "-Xms", "InitialRAMPercentage");
    }

    /**
     * bench/run's own flags of a service start with a heap size ({@code heapFlag}) that the
     * deployments give as a share of their memory limit ({@code percentageFlag}); every other flag
     * appears verbatim in their JAVA_OPTS and in docs/architecture.md.
     */
    private static void assertDeploymentsRunWithTheMeasuredFlags(String service, String heapFlag, String percentageFlag) {
        Matcher bench = Pattern.compile("RECOMMENDED_" + service.toUpperCase() + "_JAVA_OPTS=\"(" + heapFlag + "(\\d+)m[^\"]*)\"")
                .matcher(Manifests.read(Manifests.ROOT.resolve("bench/run")));
        assertThat(bench.find()).as(service).isTrue();
        assertThat(Manifests.read(Manifests.ROOT.resolve("docs/architecture.md"))).contains("`" + bench.group(1) + "`");
        List<String> otherFlags = Arrays.stream(bench.group(1).split(" ")).skip(1).toList();
        String compose = Manifests.read(Manifests.ROOT.resolve("docker-compose.yml"));
        String manifest = "base/" + service + "-service.yaml";
        Map<String, String> deployments = Map.of(
                "k8s/" + manifest, Manifests.read(Manifests.K8S.resolve(manifest)),
                "docker-compose.yml", compose.substring(compose.indexOf("\n  " + service + "-service:\n")));
        for (Map.Entry<String, String> entry : deployments.entrySet()) {
            String deployment = entry.getKey();
            String definition = entry.getValue();
            Matcher percentage = Pattern.compile("-XX:" + percentageFlag + "=([\\d.]+)").matcher(definition);
            Matcher limit = Pattern.compile("limits:\\s+(?:cpu: \\S+\\s+)?memory: (\\d+)(Gi|g|Mi|m)\\b").matcher(definition);
            assertThat(percentage.find()).as(deployment).isTrue();
            assertThat(limit.find()).as(deployment).isTrue();
            double limitMiB = Integer.parseInt(limit.group(1)) * (limit.group(2).toLowerCase().startsWith("g") ? 1024 : 1);
            double heapMiB = Double.parseDouble(percentage.group(1)) / 100 * limitMiB;
            assertThat(heapMiB).as(deployment).isEqualTo(Double.parseDouble(bench.group(2)));
            int line = definition.lastIndexOf('\n', percentage.start());
            String javaOpts = definition.substring(line + 1, definition.indexOf('\n', percentage.start()));
            assertThat(javaOpts).as(deployment).contains(otherFlags);
        }
    }

    @Test
    void shouldReportHealthFromTheReadinessEndpointOfTheManagementPort() {
        assertThat(INSTRUCTIONS).filteredOn(i -> i.startsWith("HEALTHCHECK")).singleElement().asString()
                .contains("http://127.0.0.1:${MANAGEMENT_PORT}/actuator/health/readiness");
        assertThat(INSTRUCTIONS).contains("ARG SERVER_PORT=8080", "ARG MANAGEMENT_PORT=9080");
        assertThat(INSTRUCTIONS).filteredOn(i -> i.startsWith("ENV ")).singleElement().asString()
                .contains("SERVER_PORT=${SERVER_PORT}").contains("MANAGEMENT_PORT=${MANAGEMENT_PORT}");
    }

    @Test
    void shouldSendOnlyTheExecutableJarsAsBuildContext() {
        assertThat(Manifests.read(Manifests.ROOT.resolve("docker/Dockerfile.dockerignore")).lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank()).toList())
                .containsExactly("*", "!*/target/*-exec.jar");
    }
}
