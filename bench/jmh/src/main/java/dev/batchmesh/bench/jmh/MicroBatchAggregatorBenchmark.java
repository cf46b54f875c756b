package dev.batchmesh.bench.jmh;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.partial.MicroBatchAggregator;
import dev.batchmesh.core.series.WindowSpec;
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
 * The processor's pure step on one micro-batch: records in, one partial per series and window out
 * ({@link #aggregate}), and the same preceded by decoding the batch from its wire bytes
 * ({@link #decodeAndAggregate}). One operation is one batch; records per second are operations per
 * second times {@code records}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class MicroBatchAggregatorBenchmark {

    @Param("1000")
    public int records;

    @Param("300")
    public int keys;

    @Param("zipf:1.1")
    public String keyDistribution;

    @Param("200")
    public int sketchK;

    private MicroBatch batch;
    private byte[] binary;
    private MicroBatchAggregator aggregator;

    @Setup
    public void setUp() {
        batch = BatchFixture.of(records, keys, keyDistribution, 42).batch();
        binary = MicroBatchCodec.encode(batch);
        // the pipeline's defaults: 10 s windows, 5 min grace
        aggregator = new MicroBatchAggregator(WindowSpec.DEFAULT, 300_000, sketchK);
        MicroBatchAggregator.Result result = aggregator.aggregate(batch);
        if (result.records() != records || result.lateRecords() != 0) {
            throw new IllegalStateException("the fixture batch must aggregate whole, got " + result.records() + " of " + records);
        }
    }

    @Benchmark
    public MicroBatchAggregator.Result aggregate() {
        return aggregator.aggregate(batch);
    }

    @Benchmark
    public MicroBatchAggregator.Result decodeAndAggregate() {
        return aggregator.aggregate(MicroBatchCodec.decode(binary));
    }
}
