package dev.batchmesh.bench.loadgen.result;

import dev.batchmesh.bench.loadgen.proc.ProcessUsage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a run's JSON result and prints the summary a person reads. */
public final class ResultWriter {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ResultWriter() {
    }

    /** Writes {@code <dir>/<name>.json}, adding {@code -2}, {@code -3}, ... if that exists. */
    public static Path write(RunResult result, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".json");
        for (int i = 2; Files.exists(file); i++) {
            file = dir.resolve(name + "-" + i + ".json");
        }
        Files.writeString(file, JSON.writeValueAsString(result) + "\n");
        return file;
    }

    public static void printSummary(RunResult r, Path file, PrintStream out) {
        out.println();
        out.println("== batchmesh load run (" + r.mode() + ", " + r.startedAt() + ") ==");
        if (r.maxSustainedRequestsPerSecond() != null) {
            out.printf("highest sustained rate: %.1f requests/s = %.0f records/s%n", r.maxSustainedRequestsPerSecond(),
                    r.maxSustainedRecordsPerSecond());
            for (StepResult step : r.steps()) {
                out.printf("  %8.1f req/s  %10.0f rec/s  p99 %8.1f ms  errors %.4f  %s%n", step.ingest().targetRequestsPerSecond(),
                        step.ingest().recordsPerSecond(), step.ingest().latency202().p99Ms(), step.ingest().errorRate(),
                        step.sustained() ? "sustained" : String.join("; ", step.reasons()));
            }
        }
        IngestResult i = r.ingest();
        if (i != null) {
            String why = (i.statuses().isEmpty() ? "" : " statuses " + i.statuses()) + (i.errors().isEmpty() ? "" : " errors " + i.errors());
            out.printf("ingest:      %d requests, %d accepted (202), %d failed%s; %.1f s%n", i.requests(), i.accepted(),
                    i.failed(), why, i.seconds());
            out.printf("throughput:  %.0f records/s, %.1f requests/s (target %.1f requests/s)%n", i.recordsPerSecond(),
                    i.acceptedRequestsPerSecond(), i.targetRequestsPerSecond());
            print(out, "202 latency", i.latency202());
            print(out, "send delay ", i.sendDelay());
        }
        ProbeResult e = r.endToEnd();
        if (e != null) {
            out.printf("probes:      %d sent, %d accepted, %d visible, %d timed out (warm-up: %d sent, %d visible)%n", e.sent(),
                    e.accepted(), e.visible(), e.timedOut(), e.warmUpSent(), e.warmUpVisible());
            print(out, "202->query ", e.latency());
        }
        for (LagResult lag : r.lag()) {
            out.printf("lag:         %s on %s: max %d, final %d, slope %.2f/s, %s (%d samples)%n", lag.group(), lag.topic(),
                    lag.maxLag(), lag.finalLag(), lag.slopePerSecond(), lag.growing() ? "GROWING" : "steady", lag.samples().size());
        }
        for (ProcessUsage p : r.processes()) {
            out.printf("process:     %-10s pid %-7d cpu %7.1f s during the run, peak RSS %6.0f MB (run max %6.0f MB)%n", p.name(), p.pid(),
                    p.cpuSeconds(), p.peakRssBytes() / 1048576.0, p.maxSampledRssBytes() / 1048576.0);
        }
        r.notes().forEach(note -> out.println("note:        " + note));
        out.println("result:      " + file);
    }

    private static void print(PrintStream out, String label, LatencySummary l) {
        out.printf("%s: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms (n=%d)%n", label, l.p50Ms(), l.p99Ms(), l.p999Ms(),
                l.maxMs(), l.count());
    }
}
