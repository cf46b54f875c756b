package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/deploy-kubernetes.md: the files it tells people to apply or build from exist, under those names. */
class DeployKubernetesDocTest {

    private static final Path DOC = Manifests.ROOT.resolve("docs/deploy-kubernetes.md");
    private static final Pattern REPO_PATH = Pattern.compile("(?<![\\w.-])(?:\\.\\./)?((?:k8s|istio|docker)/[A-Za-z0-9._/-]*[A-Za-z0-9_])");

    @Test
    void shouldMentionOnlyFilesAndDirectoriesThatExist() {
        Set<String> paths = mentionedPaths();

        assertThat(paths).as("paths the doc mentions").contains("k8s/overlays/dev", "docker/Dockerfile",
                "istio/virtual-service-batcher-90-10.yaml", "istio/virtual-service-all-v1.yaml");
        assertThat(paths).allSatisfy(path -> assertThat(Files.exists(Manifests.ROOT.resolve(path))).as(path).isTrue());
    }

    @Test
    void shouldApplyTheIstioFilesInTheOrderOfTheIstioReadme() {
        String command = "kubectl apply -n batchmesh -f istio/";
        List<String> readme = applied(Manifests.read(Manifests.ISTIO.resolve("README.md")), command);
        List<String> doc = applied(Manifests.read(DOC), command);

        assertThat(readme).hasSizeGreaterThanOrEqualTo(5);
        assertThat(doc).as("the mesh set-up, then canary and roll-back").startsWith(readme.subList(0, 5).toArray(String[]::new))
                .containsSubsequence("virtual-service-batcher-90-10.yaml", "virtual-service-all-v1.yaml");
    }

    private static Set<String> mentionedPaths() {
        Set<String> paths = new LinkedHashSet<>();
        Matcher m = REPO_PATH.matcher(Manifests.read(DOC));
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }

    /** The file names after each occurrence of the apply command, in order. */
    private static List<String> applied(String text, String command) {
        List<String> files = new ArrayList<>();
        Matcher m = Pattern.compile(Pattern.quote(command) + "(\\S+)").matcher(text);
        while (m.find()) {
            files.add(m.group(1));
        }
        return files;
    }
}
