package dev.batchmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** bin/lib/jdk.sh, which bin/suite, bin/test and .ci/run source: it finds a JDK 25 or says what to install. */
class JdkDiscoveryTest {

    private final Path root = Path.of(System.getProperty("batchmesh.root", "..")).toAbsolutePath().normalize();
    private final String jdk25 = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent().toString();

    private record Outcome(int exit, String output) {
    }

    private Outcome source(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "source bin/lib/jdk.sh && echo \"JAVA_HOME=$JAVA_HOME\"")
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().remove("JAVA_HOME");
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out);
    }

    @Test
    void shouldKeepAJavaHomeThatIsAlreadyAJdk25() throws Exception {
        Outcome outcome = source(Map.of("JAVA_HOME", jdk25, "BATCHMESH_JDK_DIRS", "/nonexistent"));
        assertThat(outcome.exit()).isZero();
        assertThat(outcome.output()).contains("JAVA_HOME=" + jdk25);
    }

    @Test
    void shouldFindAnInstalledJdk25WhenJavaHomeIsOlderOrUnset() throws Exception {
        Outcome outcome = source(Map.of("JAVA_HOME", "/nonexistent/jdk-17", "BATCHMESH_JDK_DIRS", "/nonexistent/other " + jdk25));
        assertThat(outcome.exit()).isZero();
        assertThat(outcome.output()).contains("JAVA_HOME=" + jdk25);
    }

    @Test
    void shouldSayPlainlyWhatToInstallWhenThereIsNone() throws Exception {
        Outcome outcome = source(Map.of("BATCHMESH_JDK_DIRS", "/nonexistent/a /nonexistent/b"));
        assertThat(outcome.exit()).isNotZero();
        assertThat(outcome.output()).contains("needs a JDK 25").contains("Install one").doesNotContain("JAVA_HOME=/");
    }
}
