package dev.batchmesh.bench.jmh;

import dev.batchmesh.core.aggregate.PartialAggregate;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Merging partial aggregates, the aggregator's step per partial: two small exact partials (a key's
 * share of one batch, the sketch never compacted), two large sketch partials (windows that each
 * saw {@code sketchValues} records), and the common case of a small batch partial merged into a
 * large window aggregate. One operation is one merge.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PartialMergeBenchmark {

    @Param("200")
    public int sketchK;

    /** About what one key contributes to one 1,000-record batch over a few hundred keys. */
    @Param("4")
    public int exactValues;

    @Param("20000")
    public int sketchValues;

    private PartialAggregate exactA;
    private PartialAggregate exactB;
    private PartialAggregate sketchA;
    private PartialAggregate sketchB;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        exactA = PartialAggregate.of(sketchK, latencies(random, exactValues));
        exactB = PartialAggregate.of(sketchK, latencies(random, exactValues));
        sketchA = PartialAggregate.of(sketchK, latencies(random, sketchValues));
        sketchB = PartialAggregate.of(sketchK, latencies(random, sketchValues));
    }

    private static double[] latencies(SplittableRandom random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.round(20 * Math.exp(0.8 * random.nextGaussian()) * 1000) / 1000.0;
        }
        return values;
    }

    @Benchmark
    public PartialAggregate mergeExact() {
        return exactA.merge(exactB);
    }

    @Benchmark
    public PartialAggregate mergeSketch() {
        return sketchA.merge(sketchB);
    }

    @Benchmark
    public PartialAggregate mergeExactIntoSketch() {
        return sketchA.merge(exactA);
    }
}
