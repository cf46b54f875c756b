package dev.batchmesh.support.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a group's lag on a topic from the broker, without joining the group: per partition, the
 * last stable offset (the end a read_committed consumer can reach; the producers are transactional)
 * minus the group's committed offset. A partition the group has committed nothing on counts from
 * its earliest offset, where the services' consumers start. Offsets also number transaction
 * markers, so the lag can exceed the records still to read by one per transaction in the gap.
 */
public final class ConsumerLagReader {

    private final Admin admin;
    private final Duration timeout;

    public ConsumerLagReader(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public ConsumerLag read(String group, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        int millis = (int) timeout.toMillis();
        TopicDescription description = await(admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(millis))
                .allTopicNames()).get(topic);
        List<TopicPartition> partitions = description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(group,
                new ListConsumerGroupOffsetsOptions().timeoutMs(millis)).partitionsToOffsetAndMetadata());

        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
        for (TopicPartition partition : partitions) {
            ends.put(partition, OffsetSpec.latest());
            if (committed.get(partition) == null) {
                starts.put(partition, OffsetSpec.earliest());
            }
        }
        Map<TopicPartition, ListOffsetsResultInfo> end = listOffsets(ends, millis);
        Map<TopicPartition, ListOffsetsResultInfo> start = starts.isEmpty() ? Map.of() : listOffsets(starts, millis);

        long total = 0;
        long max = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata position = committed.get(partition);
            long from = position != null ? position.offset() : start.get(partition).offset();
            long lag = Math.max(0, end.get(partition).offset() - from);
            total += lag;
            max = Math.max(max, lag);
        }
        return new ConsumerLag(total, max);
    }

    private Map<TopicPartition, ListOffsetsResultInfo> listOffsets(Map<TopicPartition, OffsetSpec> specs, int millis)
            throws ExecutionException, InterruptedException, TimeoutException {
        ListOffsetsOptions options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        options.timeoutMs(millis);
        return await(admin.listOffsets(specs, options).all());
    }

    private <T> T await(KafkaFuture<T> future)
            throws ExecutionException, InterruptedException, TimeoutException {
        // the admin call gives up after the timeout itself; the margin only covers its bookkeeping
        return future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    }
}
