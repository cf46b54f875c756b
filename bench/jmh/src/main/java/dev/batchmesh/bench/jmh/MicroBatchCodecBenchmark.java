package dev.batchmesh.bench.jmh;

import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import java.util.List;
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
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encoding and decoding one micro-batch in the binary format that travels on {@code microbatches},
 * against the same records as JSON: an array and NDJSON with the streaming parser the batcher uses,
 * and an array through data binding to records, the way a straightforward consumer would read them. One operation is one
 * batch; records per second are operations per second times {@code records}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class MicroBatchCodecBenchmark {

    /** A record as JSON data binding sees it; field names are the v1 API's. */
    public record JsonRecord(String key, double value, long ts) {
    }

    private static final TypeReference<List<JsonRecord>> RECORD_LIST = new TypeReference<>() {
    };

    @Param("1000")
    public int records;

    @Param("300")
    public int keys;

    @Param("zipf:1.1")
    public String keyDistribution;

    private MicroBatch batch;
    private byte[] binary;
    private List<WorkloadRecord> flat;
    private List<JsonRecord> bound;
    private byte[] json;
    private byte[] ndjson;
    private JsonMapper mapper;

    @Setup
    public void setUp() {
        BatchFixture fixture = BatchFixture.of(records, keys, keyDistribution, 42);
        batch = fixture.batch();
        binary = MicroBatchCodec.encode(batch);
        flat = fixture.records();
        bound = flat.stream().map(r -> new JsonRecord(r.key(), r.value(), r.timestampMillis())).toList();
        json = JsonRecords.encode(flat, JsonRecords.Format.ARRAY);
        ndjson = JsonRecords.encode(flat, JsonRecords.Format.NDJSON);
        mapper = JsonMapper.builder().build();
        if (MicroBatchCodec.decode(binary).recordCount() != records
                || JsonRecords.decode(json, JsonRecords.Format.ARRAY).values().length != records
                || JsonRecords.decode(ndjson, JsonRecords.Format.NDJSON).values().length != records
                || mapper.readValue(json, RECORD_LIST).size() != records) {
            throw new IllegalStateException("a codec lost records while setting up");
        }
    }

    @Benchmark
    public byte[] binaryEncode() {
        return MicroBatchCodec.encode(batch);
    }

    @Benchmark
    public MicroBatch binaryDecode() {
        return MicroBatchCodec.decode(binary);
    }

    @Benchmark
    public byte[] jsonStreamingEncode() {
        return JsonRecords.encode(flat, JsonRecords.Format.ARRAY);
    }

    @Benchmark
    public JsonRecords.Columns jsonStreamingDecode() {
        return JsonRecords.decode(json, JsonRecords.Format.ARRAY);
    }

    @Benchmark
    public byte[] ndjsonStreamingEncode() {
        return JsonRecords.encode(flat, JsonRecords.Format.NDJSON);
    }

    @Benchmark
    public JsonRecords.Columns ndjsonStreamingDecode() {
        return JsonRecords.decode(ndjson, JsonRecords.Format.NDJSON);
    }

    @Benchmark
    public byte[] jsonDatabindEncode() {
        return mapper.writeValueAsBytes(bound);
    }

    @Benchmark
    public List<JsonRecord> jsonDatabindDecode() {
        return mapper.readValue(json, RECORD_LIST);
    }
}
