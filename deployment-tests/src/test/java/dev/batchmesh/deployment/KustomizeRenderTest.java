package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.batchmesh.deployment.support.Kustomize;
import org.junit.jupiter.api.BeforeAll;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every overlay, and the base with each component, with the real kustomize: catches what
 * the file-level checks cannot (patch targets, merge results, name references). Runs when
 * `kustomize` or `kubectl` is on the PATH, and is skipped otherwise; there it also checks the Java
 * renderer ({@link Kustomize}, which {@code RenderedManifestsTest} uses everywhere) against the real one.
 */
class KustomizeRenderTest {

    private static List<String> kustomize;

    @BeforeAll
    static void findKustomize() throws Exception {
        kustomize = onPath("kustomize").map(k -> List.of(k, "build"))
                .or(() -> onPath("kubectl").map(k -> List.of(k, "kustomize")))
                .orElse(null);
        if (kustomize != null && kustomize.getLast().equals("kustomize")) {
            // kubectl embeds kustomize; the manifests use v5 features (labels, components, replicas).
            Matcher version = Pattern.compile("Kustomize Version: v(\\d+)").matcher(run(List.of(kustomize.getFirst(), "version", "--client")));
            if (!version.find() || Integer.parseInt(version.group(1)) < 5) {
                kustomize = null;
            }
        }
    }

    static Stream<String> targets() {
        return RenderTargets.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldRenderWithTheWorkloadInvariantsIntact(String target) throws Exception {
        assumeTrue(kustomize != null, "neither kustomize nor kubectl (with kustomize v5 or newer) is on the PATH");
        Path dir = RenderTargets.dir(target);

        List<HasMetadata> rendered = Manifests.typedAll(render(dir));

        List<Workload> workloads = Workload.all(rendered.stream().map(r -> new Manifests.Doc(dir, r)).toList());
        assertThat(workloads).extracting(Workload::app).containsAll(Manifests.SERVICES);
        assertThat(rendered).allSatisfy(resource -> {
            if (!resource.getKind().equals("Namespace")) {
                assertThat(resource.getMetadata().getNamespace()).as(resource.getKind() + "/" + resource.getMetadata().getName())
                        .isEqualTo(RenderTargets.NAMESPACE);
            }
            assertThat(UnknownFields.in(resource)).as(resource.getKind() + "/" + resource.getMetadata().getName()).isEmpty();
        });
        assertThat(workloads).allSatisfy(w -> {
            assertThat(w.container().getImage()).doesNotEndWith(":latest");
            assertThat(w.container().getResources().getLimits()).containsKey("memory");
            assertThat(w.container().getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        });
        boolean autoscaled = rendered.stream().anyMatch(r -> r.getKind().equals("ScaledObject") || r.getKind().equals("HorizontalPodAutoscaler"));
        Deployment processor = rendered.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals("processor-service")).findFirst().orElseThrow();
        assertThat(processor.getSpec().getReplicas()).as("replicas of an autoscaled Deployment belong to the autoscaler")
                .satisfies(replicas -> assertThat(replicas == null).isEqualTo(autoscaled));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldRenderExactlyLikeTheJavaRenderer(String target) throws Exception {
        assumeTrue(kustomize != null, "neither kustomize nor kubectl (with kustomize v5 or newer) is on the PATH");
        Path dir = RenderTargets.dir(target);

        List<Map<String, Object>> real = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(render(dir))) {
            if (document != null) {
                real.add(Manifests.asMap(document));
            }
        }

        assertThat(real).isNotEmpty();
        assertThat(Kustomize.build(dir)).as("the Java renderer against %s", String.join(" ", kustomize))
                .containsExactlyInAnyOrderElementsOf(real);
    }

    private static String render(Path dir) throws Exception {
        List<String> command = new ArrayList<>(kustomize);
        command.add(dir.toString());
        return run(command);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kustomize finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + new String(err, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Optional<String> onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, binary))
                .filter(Files::isExecutable).map(Path::toString).findFirst();
    }
}
