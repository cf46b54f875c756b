package dev.batchmesh.bench.loadgen;

import dev.batchmesh.bench.loadgen.proc.SuiteProcesses;
import dev.batchmesh.bench.workload.Arguments;
import java.util.Arrays;

/** Command line of the load generator: {@code bench/loadgen/run --help}. */
public final class LoadGeneratorCli {

    static final String USAGE = """
            Drives a running suite through its gateway and writes bench/results/loadgen-<mode>-<UTC time>.json.
            Rates are requests per second; every request carries --records-per-request records.

              --gateway URI               http://127.0.0.1:8080
              --api-key KEY               dev-key
              --stream NAME               loadgen.records
              --mode fixed|max            fixed: one open-loop rate; max: step the rate up to the highest sustained one (fixed)
              --rate R                    requests/s; in max mode the first step (20)
              --duration D                measured time; in max mode the step budget (PT60S)
              --warmup D                  unmeasured sending at --rate first (PT5S)
              --records-per-request N     1000
              --format ndjson|json        ndjson
              --timestamps live|workload  live: event times follow each request's intended send time (live)
              --body-pool N               distinct bodies encoded before the run (64)
              --connections N             requests in flight at most, hence connections (64)
              --http-clients N            JDK HTTP clients the requests are spread over (4)
              --request-timeout D         PT30S
              --bootstrap HOST:PORT       Kafka, for consumer lag; 'none' to skip (127.0.0.1:9092)
              --lag-targets G:T,...       processor:microbatches,aggregator:partials
              --sample-interval D         lag and /proc sampling (PT1S)
              --probes true|false         end-to-end probes (true)
              --probe-stream NAME         loadgen.probe
              --probe-interval D          PT0.25S
              --probe-poll-interval D     PT0.1S
              --probe-timeout D           PT30S
              --probe-max-polls N         queries in flight at most, for the oldest waiting probes (2)
              --processes N,...           the -Dbatchmesh.suite=<name> processes to measure (kafka,gateway,batcher,processor,aggregator)
              --results DIR               bench/results
            find-the-maximum (--mode max):
              --step-duration D           PT15S
              --step-factor F             rate multiplier while steps hold (1.5)
              --precision P               stop bisecting when the bounds are within P (0.1)
              --max-p99 D                 202 latency p99 limit (PT1S)
              --max-error-rate E          0.001
              --min-completed-share S     0.95
              --drain-max-lag N           after a failed step, wait for lag <= N (12)
              --drain-timeout D           PT30S
            workload (bench/workload):
              --keys N  --key-distribution uniform|zipf|zipf:S  --values SPEC  --decimals N
              --start TIME  --events-per-second R  --jitter-ms J  --seed S
            """;

    private LoadGeneratorCli() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        LoadOptions options;
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
            options = LoadOptions.from(arguments);
            arguments.rejectUnused();
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
            return;
        }
        new LoadGenerator(options, SuiteProcesses.byMarker(options.suiteProcesses()), System.out).run();
    }
}
