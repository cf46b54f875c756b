package dev.batchmesh.bench.loadgen;

import dev.batchmesh.bench.loadgen.body.BodyPool;
import dev.batchmesh.bench.loadgen.ingest.IngestClient;
import dev.batchmesh.bench.loadgen.ingest.IngestPhase;
import dev.batchmesh.bench.loadgen.ingest.PhaseMeasurement;
import dev.batchmesh.bench.loadgen.lag.ConsumerLagSampler;
import dev.batchmesh.bench.loadgen.lag.LagSample;
import dev.batchmesh.bench.loadgen.lag.LagTarget;
import dev.batchmesh.bench.loadgen.lag.LagTrend;
import dev.batchmesh.bench.loadgen.probe.ProbeMeasurement;
import dev.batchmesh.bench.loadgen.probe.ProbeRunner;
import dev.batchmesh.bench.loadgen.proc.ProcessSampler;
import dev.batchmesh.bench.loadgen.proc.SuiteProcesses;
import dev.batchmesh.bench.loadgen.result.IngestResult;
import dev.batchmesh.bench.loadgen.result.LagResult;
import dev.batchmesh.bench.loadgen.result.ProbeResult;
import dev.batchmesh.bench.loadgen.result.ResultWriter;
import dev.batchmesh.bench.loadgen.result.RunResult;
import dev.batchmesh.bench.loadgen.result.StepResult;
import dev.batchmesh.bench.loadgen.search.MaxRateSearch;
import dev.batchmesh.bench.loadgen.search.StepVerdict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One load run against a running suite: encodes the bodies, optionally warms up, then sends at a
 * fixed rate ({@code fixed}) or searches for the highest sustained rate ({@code max}), while probes
 * measure end-to-end visibility and samplers read consumer lag and the suite's processes every
 * sample interval. Writes the JSON result and prints a summary. Usable as a library (the smoke
 * test calls {@link #run}) and from {@link LoadGeneratorCli}.
 */
public final class LoadGenerator {

    /** The generator's own row in the process table. */
    public static final String SELF = "loadgen";
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final LoadOptions options;
    private final SuiteProcesses processes;
    private final PrintStream out;
    private final List<String> notes = new ArrayList<>();

    /** The result and where it was written. */
    public record Outcome(RunResult result, Path file) {
    }

    public LoadGenerator(LoadOptions options, SuiteProcesses processes, PrintStream out) {
        this.options = options;
        this.processes = processes;
        this.out = out;
    }

    public Outcome run() throws InterruptedException, IOException {
        Instant started = Instant.now();
        String runId = FILE_TIME.format(started).toLowerCase() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        BodyPool bodies = BodyPool.encode(options.workload(), options.format(), options.timestamps(),
                options.recordsPerRequest(), options.bodyPoolSize());
        out.printf("encoded %d %s bodies of %d records (%.1f KB each on average)%n", bodies.size(),
                options.format().name().toLowerCase(), bodies.recordsPerRequest(), bodies.totalBytes() / 1024.0 / bodies.size());
        Map<String, Long> pids = processes.find();
        if (pids.isEmpty()) {
            notes.add("no suite process found: no CPU or memory figures");
        }
        // the generator shares the machine with the suite: its own CPU is part of what the box spends
        Map<String, Long> sampled = new LinkedHashMap<>(pids);
        sampled.put(SELF, ProcessHandle.current().pid());
        ProcessSampler processSampler = new ProcessSampler(Path.of("/proc"), ProcessSampler.clockTicksPerSecond(), sampled);
        ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loadgen-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try (IngestClient client = new IngestClient(options.gateway(), options.apiKey(), options.httpClients(), options.requestTimeout());
             ConsumerLagSampler lag = options.bootstrap() == null ? null : new ConsumerLagSampler(options.bootstrap(), options.lagTargets())) {
            IngestPhase phase = new IngestPhase(client, options.stream(), bodies, options.connections(), options.requestTimeout());
            ProbeMeasurement warmUpProbes = null;
            if (!options.warmup().isZero()) {
                out.printf("warming up for %s at %.1f req/s%n", options.warmup(), options.rate());
                // probes and their queries too: the first queries load classes and compile code in
                // the gateway and the aggregator, a stall that would otherwise open the measurement
                ProbeRunner warmUp = options.probes() ? probes(client, runId + "-warmup") : null;
                if (warmUp != null) {
                    warmUp.start();
                }
                phase.run(options.rate(), options.warmup());
                if (warmUp != null) {
                    warmUpProbes = warmUp.stop();
                }
            }
            ProbeRunner probes = options.probes() ? probes(client, runId) : null;
            long measuredFrom = System.currentTimeMillis();
            sampling.scheduleAtFixedRate(() -> {
                processSampler.sample();
                if (lag != null) {
                    lag.sample();
                }
            }, 0, options.sampleInterval().toMillis(), TimeUnit.MILLISECONDS);
            if (probes != null) {
                probes.start();
            }
            IngestResult ingest;
            List<StepResult> steps = List.of();
            Double maxRequests = null;
            Double maxRecords = null;
            if (options.mode() == LoadOptions.Mode.FIXED) {
                out.printf("sending %.1f requests/s (%.0f records/s) for %s%n", options.rate(),
                        options.rate() * options.recordsPerRequest(), options.duration());
                PhaseMeasurement measured = phase.run(options.rate(), options.duration());
                ingest = IngestResult.of(measured, options.recordsPerRequest());
            } else {
                steps = searchMaximum(phase, lag);
                StepResult best = steps.stream().filter(StepResult::sustained)
                        .max((a, b) -> Double.compare(a.ingest().targetRequestsPerSecond(), b.ingest().targetRequestsPerSecond()))
                        .orElse(null);
                ingest = best == null ? null : best.ingest();
                maxRequests = best == null ? null : best.ingest().targetRequestsPerSecond();
                maxRecords = best == null ? null : best.ingest().targetRecordsPerSecond();
                if (best == null) {
                    notes.add("no step was sustained");
                }
            }
            ProbeMeasurement probed = probes == null ? null : probes.finish();
            sampling.shutdownNow();
            sampling.awaitTermination(10, TimeUnit.SECONDS);
            processSampler.sample();
            long measuredTo = System.currentTimeMillis();
            List<LagResult> lagResults = new ArrayList<>();
            if (lag != null) {
                lag.sample();
                for (LagTarget target : lag.targets()) {
                    List<LagSample> samples = lag.samples(target, measuredFrom, measuredTo);
                    lagResults.add(new LagResult(target.group(), target.topic(), LagTrend.DEFAULT.growing(samples),
                            Math.round(LagTrend.slope(samples) * 1000) / 1000.0,
                            samples.stream().mapToLong(LagSample::lag).max().orElse(0),
                            samples.isEmpty() ? 0 : samples.getLast().lag(), samples));
                }
                if (lag.failures() > 0) {
                    notes.add(lag.failures() + " lag readings failed");
                }
            } else {
                notes.add("no --bootstrap: no consumer lag");
            }
            if (!processSampler.unreadable().isEmpty()) {
                notes.add("could not read /proc for: " + String.join(", ", processSampler.unreadable()));
            }
            RunResult result = new RunResult("batchmesh-loadgen", options.mode().name().toLowerCase(), started.toString(),
                    settings(), options.workload().describe(), ingest, steps, maxRequests, maxRecords,
                    probed == null ? null : ProbeResult.of(options.probeStream(), options.probeInterval().toMillis(),
                            options.probePollInterval().toMillis(), probed, warmUpProbes),
                    lagResults, processSampler.usage(), List.copyOf(notes));
            Path file = ResultWriter.write(result, options.resultsDir(), "loadgen-" + result.mode() + "-" + FILE_TIME.format(started));
            ResultWriter.printSummary(result, file, out);
            return new Outcome(result, file);
        } finally {
            sampling.shutdownNow();
        }
    }

    private ProbeRunner probes(IngestClient client, String runId) {
        return new ProbeRunner(client, options.probeStream(), runId, options.probeInterval(), options.probePollInterval(),
                options.probeTimeout(), options.probeMaxPolls());
    }

    private List<StepResult> searchMaximum(IngestPhase phase, ConsumerLagSampler lag) throws InterruptedException {
        MaxRateSearch search = new MaxRateSearch(options.rate(), options.stepFactor(), options.precision(), 0.1);
        long maxSteps = Math.max(1, options.duration().toMillis() / options.stepDuration().toMillis());
        List<StepResult> steps = new ArrayList<>();
        double rate = search.currentRate();
        for (int step = 1; step <= maxSteps; step++) {
            out.printf("step %d/%d: %.1f requests/s (%.0f records/s) for %s%n", step, maxSteps, rate,
                    rate * options.recordsPerRequest(), options.stepDuration());
            PhaseMeasurement m = phase.run(rate, options.stepDuration());
            List<String> growing = new ArrayList<>();
            if (lag != null) {
                lag.sample();
                for (LagTarget target : lag.targets()) {
                    if (LagTrend.DEFAULT.growing(lag.samples(target, m.startMillis(), System.currentTimeMillis()))) {
                        growing.add(target.toString());
                    }
                }
            }
            double completed = m.accepted() / (options.stepDuration().toMillis() / 1000.0);
            StepVerdict verdict = options.criteria().judge(rate, completed, m.latency().getValueAtPercentile(99),
                    m.errorRate(), growing);
            IngestResult ingest = IngestResult.of(m, options.recordsPerRequest());
            steps.add(new StepResult(ingest, List.copyOf(growing), verdict.sustained(), verdict.reasons()));
            out.printf("  %s: %.0f records/s, 202 p99 %.1f ms, error rate %.4f%s%n", verdict.sustained() ? "sustained" : "NOT sustained",
                    ingest.recordsPerSecond(), ingest.latency202().p99Ms(), ingest.errorRate(),
                    verdict.reasons().isEmpty() ? "" : " (" + String.join("; ", verdict.reasons()) + ")");
            OptionalDouble next = search.record(verdict.sustained());
            if (next.isEmpty() || step == maxSteps) {
                break;
            }
            if (!verdict.sustained() && lag != null && !lag.awaitDrained(options.drainMaxLag(), options.drainTimeout())) {
                notes.add("lag did not drain within " + options.drainTimeout() + " after step " + step);
            }
            rate = next.getAsDouble();
        }
        return steps;
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("gateway", options.gateway().toString());
        s.put("stream", options.stream());
        s.put("rate", options.rate());
        s.put("duration", options.duration().toString());
        s.put("warmup", options.warmup().toString());
        s.put("recordsPerRequest", options.recordsPerRequest());
        s.put("format", options.format().name().toLowerCase());
        s.put("timestamps", options.timestamps().name().toLowerCase());
        s.put("bodyPool", options.bodyPoolSize());
        s.put("connections", options.connections());
        s.put("httpClients", options.httpClients());
        s.put("requestTimeout", options.requestTimeout().toString());
        s.put("bootstrap", options.bootstrap());
        s.put("lagTargets", options.lagTargets().stream().map(t -> t.group() + ":" + t.topic()).toList());
        s.put("sampleInterval", options.sampleInterval().toString());
        s.put("probeMaxPolls", options.probeMaxPolls());
        if (options.mode() == LoadOptions.Mode.MAX) {
            s.put("stepDuration", options.stepDuration().toString());
            s.put("stepFactor", options.stepFactor());
            s.put("precision", options.precision());
            s.put("maxP99", options.criteria().maxP99().toString());
            s.put("maxErrorRate", options.criteria().maxErrorRate());
            s.put("minCompletedShare", options.criteria().minCompletedShare());
        }
        s.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        return s;
    }
}
