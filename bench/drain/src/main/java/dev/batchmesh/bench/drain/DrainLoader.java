package dev.batchmesh.bench.drain;

import dev.batchmesh.bench.peer.BenchmarkResult;
import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.bench.workload.WorkloadGenerator;
import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.partial.MicroBatchAggregator;
import dev.batchmesh.core.series.WindowSpec;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-loads {@code microbatches} with the workload, written exactly as the batcher writes it:
 * binary micro-batches ({@link MicroBatchCodec}) with an explicit partition, no key, the
 * format-version and batch-id headers, in transactions of an idempotent producer with the batcher's
 * durability ({@code acks=all}, lz4). Prints one JSON line (the {@link BenchmarkResult} shape) on
 * stdout whose {@code details} the drain awaiter reads: records, messages, event-time range.
 * Options: {@link LoadOptions} and the workload options.
 */
public final class DrainLoader {

    static {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:bench-log4j2.xml");
        }
    }

    static final String BENCHMARK = "batchmesh-drain-load";
    private static final Logger log = LoggerFactory.getLogger(DrainLoader.class);
    private static final byte[] FORMAT_VERSION = {(byte) MicroBatchCodec.CURRENT_VERSION};

    private DrainLoader() {
    }

    public static void main(String[] args) {
        // stdout carries the result line alone; anything a library prints goes to stderr
        PrintStream result = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        LoadOptions options;
        try {
            Arguments arguments = Arguments.parse(args);
            options = LoadOptions.from(arguments, System.currentTimeMillis());
            arguments.rejectUnused();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: DrainLoader --bootstrap HOST:PORT [--records N] [--batch-records N] ... (options in LoadOptions and WorkloadSpec)");
            System.exit(2);
            return;
        }
        try {
            result.println(load(options).toJsonLine());
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static BenchmarkResult load(LoadOptions options) {
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(options),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<PartitionInfo> partitionInfos = producer.partitionsFor(options.topic());
            if (partitionInfos == null || partitionInfos.isEmpty()) {
                throw new IllegalStateException("topic " + options.topic() + " has no partitions");
            }
            int partitions = partitionInfos.size();
            if (options.transactional()) {
                producer.initTransactions();
            }
            Writer writer = new Writer(producer, options);
            PartitionBatcher batcher = new PartitionBatcher(options.tenant(), options.stream(), partitions,
                    options.batchRecords(), System::currentTimeMillis);
            WorkloadGenerator generator = new WorkloadGenerator(options.workload());
            long start = System.nanoTime();
            long progressStep = Math.max(1, options.records() / 10);
            for (long i = 0; i < options.records(); i++) {
                WorkloadRecord record = generator.next();
                writer.observe(record.timestampMillis());
                PartitionBatcher.Cut cut = batcher.add(record);
                if (cut != null) {
                    writer.write(cut);
                }
                if ((i + 1) % progressStep == 0) {
                    log.info("Cut {} of {} records into {} micro-batches", i + 1, options.records(), writer.messages);
                }
            }
            for (PartitionBatcher.Cut cut : batcher.flush()) {
                writer.write(cut);
            }
            writer.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            log.info("Wrote {} records as {} micro-batches to {} in {} s", options.records(), writer.messages, options.topic(),
                    String.format("%.1f", seconds));

            Map<String, Object> details = new LinkedHashMap<>();
            details.put("topic", options.topic());
            details.put("partitions", partitions);
            details.put("messages", writer.messages);
            details.put("batchRecords", options.batchRecords());
            details.put("bytes", writer.bytes);
            details.put("producer", options.transactional() ? "transactional" : "idempotent");
            details.put("tenant", options.tenant());
            details.put("stream", options.stream());
            details.put("keys", options.workload().keys().keys());
            details.put("keyDistribution", options.workload().keys().spec());
            details.put("values", options.workload().values().spec());
            details.put("eventsPerSecond", options.workload().timestamps().eventsPerSecond());
            details.put("jitterMs", options.workload().timestamps().jitterMillis());
            details.put("seed", options.workload().seed());
            details.put("startMillis", options.workload().timestamps().startMillis());
            details.put("minTimestampMillis", writer.minTimestamp);
            details.put("maxTimestampMillis", writer.maxTimestamp);
            return BenchmarkResult.of(BENCHMARK, options.transactional() ? "transactional" : "idempotent",
                    options.records(), seconds, details);
        }
    }

    static Properties producerProperties(LoadOptions options) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        if (options.transactional()) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-drain-loader-" + UUID.randomUUID());
        }
        return p;
    }

    static byte[] idBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    /** Sends cut batches, committing a transaction every few messages, and refuses a batch the processor would find late. */
    private static final class Writer {

        private final Producer<byte[], byte[]> producer;
        private final LoadOptions options;
        private final MicroBatchAggregator lateness;
        private final WindowSpec windows;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private int inTransaction;
        private long messages;
        private long bytes;
        private long minTimestamp = Long.MAX_VALUE;
        private long maxTimestamp = Long.MIN_VALUE;

        Writer(Producer<byte[], byte[]> producer, LoadOptions options) {
            this.producer = producer;
            this.options = options;
            this.windows = WindowSpec.of(options.window());
            this.lateness = new MicroBatchAggregator(windows, options.grace().toMillis(), 1);
        }

        void observe(long timestamp) {
            minTimestamp = Math.min(minTimestamp, timestamp);
            maxTimestamp = Math.max(maxTimestamp, timestamp);
        }

        void write(PartitionBatcher.Cut cut) {
            MicroBatch batch = cut.batch();
            requireNotLate(batch);
            if (options.transactional() && inTransaction == 0) {
                producer.beginTransaction();
            }
            byte[] value = MicroBatchCodec.encode(batch);
            List<Header> headers = new ArrayList<>(2);
            headers.add(new RecordHeader(PipelineTopics.FORMAT_VERSION_HEADER, FORMAT_VERSION));
            headers.add(new RecordHeader(PipelineTopics.BATCH_ID_HEADER, idBytes(batch.id())));
            producer.send(new ProducerRecord<>(options.topic(), cut.partition(), null, null, value, headers), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            messages++;
            bytes += value.length;
            inTransaction++;
            if (inTransaction >= options.messagesPerTransaction()) {
                commit();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("writing micro-batches failed: " + failure.get().getMessage(), failure.get());
            }
        }

        void finish() {
            if (inTransaction > 0) {
                commit();
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("writing micro-batches failed: " + failure.get().getMessage(), failure.get());
            }
        }

        private void commit() {
            if (options.transactional()) {
                producer.commitTransaction();
            }
            inTransaction = 0;
        }

        private void requireNotLate(MicroBatch batch) {
            long earliest = Long.MAX_VALUE;
            for (SeriesPoints s : batch.series()) {
                for (long t : s.timestamps()) {
                    earliest = Math.min(earliest, t);
                }
            }
            if (lateness.isLate(windows.startOf(earliest), batch.createdAt())) {
                throw new IllegalStateException("a record at " + earliest + " would be late in a batch created at "
                        + batch.createdAt() + " (window " + options.window() + ", grace " + options.grace()
                        + "): raise --events-per-second or move --start closer to now");
            }
        }
    }
}
