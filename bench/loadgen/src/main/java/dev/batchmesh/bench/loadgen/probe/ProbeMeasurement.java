package dev.batchmesh.bench.loadgen.probe;

import org.HdrHistogram.Histogram;

/**
 * End-to-end visibility of the probe records.
 *
 * @param sent      probe requests sent
 * @param accepted  probes answered 202
 * @param visible   probes whose record showed up in a query
 * @param timedOut  accepted probes not visible within the probe timeout
 * @param latency   ns from a probe's 202 to the first query that counted it
 */
public record ProbeMeasurement(long sent, long accepted, long visible, long timedOut, Histogram latency) {
}
