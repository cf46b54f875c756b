package dev.batchmesh.processor.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.codec.UnsupportedFormatVersionException;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.partial.MicroBatchAggregator;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import dev.batchmesh.core.partial.WindowPartial;
import dev.batchmesh.core.series.SeriesKey;
import dev.batchmesh.core.series.WindowSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class MicroBatchTransformerTest {

    private static final long NOW = 1_790_000_005_000L;
    private static final SeriesKey CPU = new SeriesKey("t1", "cpu", "host-a");
    private static final SeriesKey MEM = new SeriesKey("t1", "mem", "host-a");

    private final MicroBatchTransformer transformer = new MicroBatchTransformer(
            new MicroBatchAggregator(WindowSpec.DEFAULT, 60_000, 200), "partials", 1_000_000);

    @Test
    void shouldSendTheSeriesOfAPartitionTogetherToThePartitionTheirKeysPick() {
        long w = WindowSpec.DEFAULT.startOf(NOW);
        UUID id = UUID.randomUUID();
        List<SeriesPoints> points = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            points.add(new SeriesPoints(new SeriesKey("t1", "cpu", "host-" + i), new long[] {w + 1, w + 2, w - 5_000}, new double[] {1, 3, 10}));
        }
        MicroBatch batch = new MicroBatch(id, NOW, points);

        ProcessedBatch processed = transformer.transform(message(MicroBatchCodec.encode(batch), 1, id), 6);

        assertThat(processed.records()).isEqualTo(120);
        assertThat(processed.lateRecords()).isZero();
        assertThat(processed.partials()).as("one message per partition the series touch").hasSizeLessThanOrEqualTo(6).allSatisfy(p -> {
            assertThat(p.topic()).isEqualTo("partials");
            assertThat(p.key()).isNull();
            assertThat(p.headers().lastHeader(PipelineTopics.BATCH_ID_HEADER).value()).isEqualTo(bytes(id));
            assertThat(decode(p)).isNotEmpty().allSatisfy(series -> assertThat(series.series().partition(6)).isEqualTo(p.partition()));
        });
        assertThat(processed.partials()).extracting(ProducerRecord::partition).doesNotHaveDuplicates();
        List<SeriesPartials> all = processed.partials().stream().flatMap(p -> decode(p).stream()).toList();
        assertThat(all).extracting(SeriesPartials::series).containsExactlyInAnyOrderElementsOf(points.stream().map(SeriesPoints::series).toList());
        assertThat(all).allSatisfy(series -> {
            assertThat(series.batchCreatedAt()).isEqualTo(NOW);
            assertThat(series.windows()).extracting(WindowPartial::windowStart).containsExactly(w - 10_000, w);
            assertThat(series.windows().get(1).aggregate().sum()).isEqualTo(4.0);
        });
    }

    @Test
    void shouldCutAPartitionsSeriesIntoSeveralMessagesAtTheByteLimit() {
        MicroBatchTransformer small = new MicroBatchTransformer(new MicroBatchAggregator(WindowSpec.DEFAULT, 60_000, 200), "partials", 1_024);
        long w = WindowSpec.DEFAULT.startOf(NOW);
        List<SeriesPoints> points = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            points.add(new SeriesPoints(new SeriesKey("t1", "cpu", "host-" + i), new long[] {w + 1, w + 2}, new double[] {i, i + 1}));
        }

        ProcessedBatch processed = small.transform(message(MicroBatchCodec.encode(new MicroBatch(UUID.randomUUID(), NOW, points)), 1, null), 1);

        assertThat(processed.partials()).hasSizeGreaterThan(5).allSatisfy(p -> {
            assertThat(p.partition()).isZero();
            assertThat(p.value().length).isLessThanOrEqualTo(1_024 + 32);
        });
        assertThat(processed.partials().stream().mapToInt(p -> decode(p).size()).sum()).isEqualTo(200);
        assertThat(processed.sources()).hasSize(processed.partials().size()).containsOnly(0);
    }

    @Test
    void shouldAggregateAPollsBatchesIntoOnePartialPerSeriesCarryingTheFirstContributorsBatchId() {
        long w = WindowSpec.DEFAULT.startOf(NOW);
        UUID firstId = UUID.randomUUID();
        UUID secondId = UUID.randomUUID();
        MicroBatch first = new MicroBatch(firstId, NOW, List.of(new SeriesPoints(MEM, new long[] {w + 1}, new double[] {1})));
        MicroBatch second = new MicroBatch(secondId, NOW + 5, List.of(
                new SeriesPoints(CPU, new long[] {w + 2}, new double[] {2}),
                new SeriesPoints(MEM, new long[] {w + 3, w + 4}, new double[] {3, 4})));
        List<ConsumerRecord<byte[], byte[]>> messages = List.of(
                message(MicroBatchCodec.encode(first), 1, firstId), message(MicroBatchCodec.encode(second), 1, secondId));
        List<MicroBatch> decoded = List.of(transformer.decode(messages.get(0)), transformer.decode(messages.get(1)));
        int partitions = 64;
        assertThat(MEM.partition(partitions)).as("the two series on different partitions").isNotEqualTo(CPU.partition(partitions));

        ProcessedBatch processed = transformer.aggregate(messages, decoded, partitions);

        assertThat(processed.batches()).isEqualTo(2);
        assertThat(processed.records()).isEqualTo(4);
        assertThat(processed.partials()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            ProducerRecord<byte[], byte[]> message = processed.partials().get(i);
            SeriesPartials only = decode(message).getFirst();
            UUID expectedId = only.series().equals(MEM) ? firstId : secondId;
            assertThat(processed.sources()[i]).isEqualTo(only.series().equals(MEM) ? 0 : 1);
            assertThat(message.headers().lastHeader(PipelineTopics.BATCH_ID_HEADER).value()).isEqualTo(bytes(expectedId));
            if (only.series().equals(MEM)) {
                assertThat(only.windows()).singleElement().satisfies(window -> assertThat(window.aggregate().sum()).isEqualTo(8.0));
            }
        }

        ProcessedBatch together = transformer.aggregate(messages, decoded, 1);

        assertThat(together.partials()).singleElement().satisfies(message -> {
            assertThat(decode(message)).extracting(SeriesPartials::series).containsExactly(MEM, CPU);
            assertThat(message.headers().lastHeader(PipelineTopics.BATCH_ID_HEADER).value()).isEqualTo(bytes(firstId));
        });
        assertThat(together.sources()).containsExactly(0);
    }

    @Test
    void shouldLeaveOutAndCountLateRecords() {
        MicroBatch batch = new MicroBatch(UUID.randomUUID(), NOW, List.of(
                new SeriesPoints(CPU, new long[] {NOW - 3_600_000, NOW - 1_000}, new double[] {100, 2})));

        ProcessedBatch processed = transformer.transform(message(MicroBatchCodec.encode(batch), 1, null), 1);

        assertThat(processed.lateRecords()).isEqualTo(1);
        assertThat(processed.records()).isEqualTo(1);
        assertThat(decode(processed.partials().getFirst()).getFirst().windows()).singleElement()
                .satisfies(w -> assertThat(w.aggregate().max()).isEqualTo(2.0));
    }

    @Test
    void shouldProduceNothingWhenEveryRecordIsLate() {
        MicroBatch batch = new MicroBatch(UUID.randomUUID(), NOW, List.of(
                new SeriesPoints(CPU, new long[] {NOW - 3_600_000}, new double[] {100})));

        ProcessedBatch processed = transformer.transform(message(MicroBatchCodec.encode(batch), 1, null), 1);

        assertThat(processed.partials()).isEmpty();
        assertThat(processed.lateRecords()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnknownVersionNamedByTheHeaderWithoutReadingTheValue() {
        assertThatThrownBy(() -> transformer.transform(message(new byte[] {1, 2, 3}, 2, null), 1))
                .isInstanceOf(UnsupportedFormatVersionException.class);
    }

    @Test
    void shouldRefuseAnUnknownVersionInTheValueWhenTheHeaderIsMissing() {
        assertThatThrownBy(() -> transformer.transform(message(new byte[] {0x4D, 9, 0, 0}, null, null), 1))
                .isInstanceOf(UnsupportedFormatVersionException.class);
    }

    @Test
    void shouldRejectBadMagicTruncationAndHeaderMismatchAsMalformed() {
        byte[] valid = MicroBatchCodec.encode(new MicroBatch(UUID.randomUUID(), NOW,
                List.of(new SeriesPoints(CPU, new long[] {NOW}, new double[] {1}))));

        assertThatThrownBy(() -> transformer.transform(message(new byte[] {7, 1, 2}, null, null), 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> transformer.transform(message(Arrays.copyOf(valid, valid.length - 3), 1, null), 1))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> transformer.transform(message(null, 1, null), 1))
                .isInstanceOf(MalformedDataException.class);
        byte[] claimsVersion2 = valid.clone();
        claimsVersion2[1] = 2;
        assertThatThrownBy(() -> transformer.transform(message(claimsVersion2, 1, null), 1))
                .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("header says version 1");
    }

    private static List<SeriesPartials> decode(ProducerRecord<byte[], byte[]> r) {
        return SeriesPartialsCodec.decodeMessage(r.key(), r.value());
    }

    private static ConsumerRecord<byte[], byte[]> message(byte[] value, Integer formatHeader, UUID batchId) {
        RecordHeaders headers = new RecordHeaders();
        if (formatHeader != null) {
            headers.add(PipelineTopics.FORMAT_VERSION_HEADER, new byte[] {formatHeader.byteValue()});
        }
        if (batchId != null) {
            headers.add(PipelineTopics.BATCH_ID_HEADER, bytes(batchId));
        }
        return new ConsumerRecord<>("microbatches", 0, 42, NOW, TimestampType.CREATE_TIME, 0,
                value == null ? 0 : value.length, null, value, headers, java.util.Optional.empty());
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
