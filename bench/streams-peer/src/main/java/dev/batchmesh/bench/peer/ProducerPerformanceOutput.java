package dev.batchmesh.bench.peer;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The closing line of Kafka's ProducerPerformance, the one with percentiles:
 * {@code 200000 records sent, 81433.2 records/sec (4.97 MB/sec), 190.21 ms avg latency,
 * 476.00 ms max latency, 181 ms 50th, 384 ms 95th, 449 ms 99th, 469 ms 99.9th.}
 * The progress lines printed every five seconds carry no percentiles and are skipped.
 */
record ProducerPerformanceOutput(long records, double recordsPerSecond, double mbPerSecond, double avgLatencyMs,
                                 double maxLatencyMs, long p50Ms, long p95Ms, long p99Ms, long p999Ms) {

    private static final Pattern SUMMARY = Pattern.compile("^(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\),"
            + " ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th,"
            + " (\\d+) ms 99\\.9th\\.\\s*$");

    static Optional<ProducerPerformanceOutput> parse(List<String> lines) {
        Optional<ProducerPerformanceOutput> last = Optional.empty();
        for (String line : lines) {
            Matcher m = SUMMARY.matcher(line.trim());
            if (m.matches()) {
                last = Optional.of(new ProducerPerformanceOutput(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)),
                        Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                        Long.parseLong(m.group(9))));
            }
        }
        return last;
    }
}
