package dev.batchmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.bench.loadgen.LoadGenerator;
import dev.batchmesh.bench.loadgen.LoadOptions;
import dev.batchmesh.bench.loadgen.proc.SuiteProcesses;
import dev.batchmesh.bench.loadgen.result.RunResult;
import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.e2e.support.EmbeddedBroker;
import dev.batchmesh.e2e.support.PipelineCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark harness's load generator, run as a library against the suite at a low fixed rate:
 * 4,000 records in 20 requests of 200 over 5 s. Proves the harness works end to end (every figure is
 * measured and written), not how fast the suite is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadGeneratorSmokeIntegrationTest {

    private static final List<String> SERVICES = List.of("gateway-service", "batcher-service", "processor-service", "aggregator-service");

    private EmbeddedKafkaKraftBroker broker;
    private PipelineCluster cluster;
    private String bootstrap;

    @BeforeAll
    void startSuite() throws Exception {
        broker = EmbeddedBroker.startTransactional();
        bootstrap = broker.getBrokersAsString();
        PipelineCluster.createTopics(bootstrap);
        Path logDir = Path.of(System.getProperty("batchmesh.e2e.logs", "target/e2e-logs")).resolve(getClass().getSimpleName());
        cluster = new PipelineCluster(bootstrap, Files.createTempDirectory("batchmesh-loadgen"), logDir);
        cluster.start();
    }

    @AfterAll
    void stopSuite() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void shouldMeasureIngestEndToEndLatencyLagAndProcessesAndWriteTheResult(@TempDir Path results) throws Exception {
        LoadOptions options = LoadOptions.from(Arguments.parse(
                "--gateway", cluster.gateway().toString(),
                "--bootstrap", bootstrap,
                "--mode", "fixed",
                "--rate", "4",
                "--duration", "PT5S",
                "--warmup", "PT2S",
                "--records-per-request", "200",
                "--format", "json",
                "--keys", "50",
                "--key-distribution", "zipf",
                "--body-pool", "4",
                "--connections", "4",
                "--http-clients", "2",
                "--probe-interval", "PT0.25S",
                "--results", results.toString()));
        Map<String, Long> pids = new LinkedHashMap<>();
        SERVICES.forEach(name -> pids.put(name, cluster.service(name).pid()));

        LoadGenerator.Outcome outcome = new LoadGenerator(options, SuiteProcesses.of(pids), System.out).run();

        RunResult result = outcome.result();
        assertThat(result.ingest().requests()).isEqualTo(20);
        assertThat(result.ingest().accepted()).as("202s, other statuses %s, errors %s", result.ingest().statuses(),
                result.ingest().errors()).isEqualTo(20);
        assertThat(result.ingest().records()).isEqualTo(4_000);
        assertThat(result.ingest().recordsPerSecond()).isPositive();
        assertThat(result.ingest().latency202().count()).isEqualTo(20);
        assertThat(result.endToEnd().visible()).isPositive();
        assertThat(result.endToEnd().latency().count()).isEqualTo(result.endToEnd().visible());
        // the warm-up sends probes (and queries them) of its own, which the measurement leaves out
        assertThat(result.endToEnd().warmUpSent()).isPositive();
        assertThat(result.endToEnd().latency().p50Ms()).isPositive();
        assertThat(result.lag()).extracting(lag -> lag.group() + ":" + lag.topic())
                .containsExactly("processor:microbatches", "aggregator:partials");
        assertThat(result.lag()).allSatisfy(lag -> assertThat(lag.samples()).isNotEmpty());
        // the services, then the generator itself (here the test's JVM), which shares the machine with them
        List<String> sampled = new ArrayList<>(SERVICES);
        sampled.add(LoadGenerator.SELF);
        assertThat(result.processes()).extracting(p -> p.name()).containsExactlyElementsOf(sampled);
        assertThat(result.processes()).allSatisfy(p -> {
            assertThat(p.totalCpuSeconds()).isPositive();
            assertThat(p.cpuSeconds()).isPositive();
            assertThat(p.peakRssBytes()).isGreaterThan(16L << 20);
        });
        assertThat(outcome.file()).isRegularFile().hasParent(results);
        JsonNode written = JsonMapper.builder().build().readTree(Files.readString(outcome.file()));
        assertThat(written.path("mode").asString()).isEqualTo("fixed");
        assertThat(written.path("ingest").path("accepted").asLong()).isEqualTo(20);
        assertThat(written.path("endToEnd").path("latency").path("count").asLong()).isPositive();
    }
}
