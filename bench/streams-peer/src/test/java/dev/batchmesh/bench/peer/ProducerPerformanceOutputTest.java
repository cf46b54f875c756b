package dev.batchmesh.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerPerformanceOutputTest {

    @Test
    void shouldReadTheClosingLineAndSkipProgressLines() {
        List<String> output = List.of(
                "102161 records sent, 20428.1 records/sec (1.25 MB/sec), 1003.2 ms avg latency, 1750.0 ms max latency.",
                "200000 records sent, 81433.224756 records/sec (4.97 MB/sec), 190.21 ms avg latency, 476.00 ms max latency,"
                        + " 181 ms 50th, 384 ms 95th, 449 ms 99th, 469 ms 99.9th.");

        ProducerPerformanceOutput summary = ProducerPerformanceOutput.parse(output).orElseThrow();

        assertThat(summary.records()).isEqualTo(200_000);
        assertThat(summary.recordsPerSecond()).isEqualTo(81433.224756);
        assertThat(summary.mbPerSecond()).isEqualTo(4.97);
        assertThat(summary.avgLatencyMs()).isEqualTo(190.21);
        assertThat(summary.maxLatencyMs()).isEqualTo(476.0);
        assertThat(summary.p50Ms()).isEqualTo(181);
        assertThat(summary.p999Ms()).isEqualTo(469);
    }

    @Test
    void shouldFindNothingWhenTheToolStoppedBeforeItsSummary() {
        assertThat(ProducerPerformanceOutput.parse(List.of(
                "102161 records sent, 20428.1 records/sec (1.25 MB/sec), 1003.2 ms avg latency, 1750.0 ms max latency."))).isEmpty();
    }
}
