package dev.batchmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.e2e.support.GatewayClient;
import dev.batchmesh.e2e.support.GatewayClient.Answer;
import dev.batchmesh.e2e.support.KafkaBrokerProcess;
import dev.batchmesh.e2e.support.OpenApiContract;
import dev.batchmesh.e2e.support.PipelineCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The four services as processes against a {@link KafkaBrokerProcess}, a broker the test can stop
 * and start again. Prints the services' and the broker's log tails when a test failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRestartableBrokerTest {

    protected KafkaBrokerProcess broker;
    protected PipelineCluster cluster;
    protected OpenApiContract contract;
    protected GatewayClient client;
    private boolean failed;

    @RegisterExtension
    final TestWatcher failures = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    };

    /** Extra environment for every service. */
    Map<String, String> overrides() {
        return Map.of();
    }

    /** How many processor replicas share the consumer group. */
    int processors() {
        return 1;
    }

    @BeforeAll
    void startSuite() throws Exception {
        Path logDir = Path.of(System.getProperty("batchmesh.e2e.logs", "target/e2e-logs")).resolve(getClass().getSimpleName());
        Path work = Files.createTempDirectory("batchmesh-" + getClass().getSimpleName());
        broker = new KafkaBrokerProcess(work.resolve("kafka"), logDir, KafkaBrokerProcess.pipelineTopics());
        broker.start(Duration.ofSeconds(120));
        cluster = new PipelineCluster(broker.bootstrapServers(), work, logDir, processors(), overrides());
        cluster.start();
        contract = OpenApiContract.load();
        client = new GatewayClient(cluster.gateway(), contract);
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (failed && cluster != null) {
            System.err.println("Service logs after a failure:" + cluster.logTails(80) + "\n===== kafka =====\n" + broker.logTail(40));
        }
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
        }
    }

    long summaryCount(String stream, long from, long to) throws Exception {
        Answer summary = client.get(PipelineCluster.DEV_KEY, stream, "summary",
                GatewayClient.query("from", Long.toString(from), "to", Long.toString(to)));
        assertThat(summary.status()).as("summary: %s", summary.body()).isEqualTo(200);
        return summary.body().path("count").asLong();
    }
}
