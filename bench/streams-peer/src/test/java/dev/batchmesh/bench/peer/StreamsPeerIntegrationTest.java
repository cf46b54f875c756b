package dev.batchmesh.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.bench.workload.Arguments;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The runners end to end on a tiny workload against spring-kafka-test's in-process broker: they
 * load, process and report every record, under both guarantees, and read ProducerPerformance's
 * real output. A smoke test of the harness, not a measurement.
 */
@EmbeddedKafka(brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "offsets.topic.num.partitions=1",
        "group.initial.rebalance.delay.ms=0"})
class StreamsPeerIntegrationTest {

    private static String bootstrap;

    @BeforeAll
    static void broker() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        bootstrap = broker.getBrokersAsString();
    }

    private static PeerOptions options(String guarantee) {
        return PeerOptions.from(Arguments.parse("--bootstrap", bootstrap, "--records", "3000", "--partitions", "3",
                "--keys", "40", "--key-distribution", "zipf:1.1", "--guarantee", guarantee, "--timeout", "PT2M"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
    void shouldProcessAndReportEveryRecord(String guarantee) {
        BenchmarkResult result = StreamsPeerRunner.run(options(guarantee));

        assertThat(result.benchmark()).isEqualTo(StreamsPeerRunner.BENCHMARK);
        assertThat(result.variant()).isEqualTo(guarantee);
        assertThat(result.records()).isEqualTo(3000);
        assertThat(result.details()).containsEntry("aggregatedRecords", 3000L);
        assertThat(result.recordsPerSecond()).isPositive();
        assertThat(result.toJsonLine()).startsWith("{\"benchmark\":\"kafka-streams-per-record\"").doesNotContain("\n");
    }

    @Test
    void shouldReuseTheInputOfAnEarlierRunWithTheSameWorkload() {
        StreamsPeerRunner.run(options("at_least_once"));

        BenchmarkResult second = StreamsPeerRunner.run(options("at_least_once"));

        assertThat(second.details()).containsEntry("inputWritten", false);
        assertThat(second.details()).containsEntry("aggregatedRecords", 3000L);
    }

    @Test
    void shouldReportTheClosingFiguresOfProducerPerformance() throws Exception {
        BenchmarkResult result = ProducerPerformanceRunner.run(bootstrap, 2000, 64, 3, "linger.ms=5", Duration.ofMinutes(2), false);

        assertThat(result.benchmark()).isEqualTo(ProducerPerformanceRunner.BENCHMARK);
        assertThat(result.records()).isEqualTo(2000);
        assertThat(result.recordsPerSecond()).isPositive();
        assertThat(result.details()).containsKeys("p99LatencyMs", "mbPerSecond").containsEntry("recordSize", 64);
    }
}
