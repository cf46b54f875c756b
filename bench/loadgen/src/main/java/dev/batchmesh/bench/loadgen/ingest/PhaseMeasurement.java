package dev.batchmesh.bench.loadgen.ingest;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one phase of fixed-rate sending measured.
 *
 * @param targetRequestsPerSecond the open-loop rate asked for
 * @param startMillis             wall-clock start, to line up lag samples
 * @param seconds                 from the first intended send to the last response
 * @param requests                requests sent
 * @param accepted                requests answered 202
 * @param records                 records in the accepted requests
 * @param statuses                every other status code and how often it came
 * @param errors                  transport errors and timeouts by exception type
 * @param latency                 202 latencies in ns, from each request's intended send time
 * @param sendDelay               how late each request left, in ns
 */
public record PhaseMeasurement(double targetRequestsPerSecond, long startMillis, long endMillis, double seconds,
                               long requests, long accepted, long records, Map<Integer, Long> statuses,
                               Map<String, Long> errors, Histogram latency, Histogram sendDelay) {

    public long failed() {
        return requests - accepted;
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) failed() / requests;
    }

    public double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    public double acceptedRequestsPerSecond() {
        return seconds > 0 ? accepted / seconds : 0;
    }
}
