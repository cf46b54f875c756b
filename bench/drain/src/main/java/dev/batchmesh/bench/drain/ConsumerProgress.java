package dev.batchmesh.bench.drain;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Committed offsets of consumer groups against how far a topic's data reaches, through the admin
 * client and a read_committed consumer. A transactional topic ends in a commit marker that takes an
 * offset but is no record: a consumer that commits {@code last record + 1}, as spring-kafka does,
 * stays one offset short of the log end for ever. So a group has caught up when it has committed
 * past the last data record of each partition ({@link #dataEnds}), not the log end.
 */
final class ConsumerProgress {

    private static final int FIRST_LOOKBACK = 64;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Admin admin;
    private final String bootstrap;

    ConsumerProgress(Admin admin, String bootstrap) {
        this.admin = admin;
        this.bootstrap = bootstrap;
    }

    /**
     * The offset after the last committed data record of every partition (0 for a partition with
     * none): what a consumer that processed everything commits at least. Reads each partition's tail,
     * looking further back while a tail holds only markers or aborted records.
     */
    Map<TopicPartition, Long> dataEnds(String topic) {
        Map<TopicPartition, Long> ends = endOffsets(topic);
        Map<TopicPartition, Long> out = new HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                out.put(end.getKey(), lastDataOffset(consumer, end.getKey(), end.getValue()) + 1);
            }
        }
        return out;
    }

    private static long lastDataOffset(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long end) {
        consumer.assign(List.of(tp));
        long from = end;
        long lookback = FIRST_LOOKBACK;
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (from > 0) {
            long to = from;
            from = Math.max(0, from - lookback);
            lookback *= 4;
            consumer.seek(tp, from);
            long last = -1;
            while (consumer.position(tp) < to) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + tp + " up to " + to + " within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < to) {
                        last = Math.max(last, r.offset());
                    }
                }
            }
            if (last >= 0) {
                return last;
            }
        }
        return -1;
    }

    /** The last stable offset of every partition: what a read_committed consumer can reach. */
    Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** True once a member of the group has partitions of the topic assigned: it is about to fetch. */
    boolean hasAssignment(String group, String topic) {
        ConsumerGroupDescription description;
        try {
            description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw unwrap(e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        return description.members().stream()
                .flatMap(member -> member.assignment().topicPartitions().stream())
                .anyMatch(tp -> tp.topic().equals(topic));
    }

    /** The group's committed offset of each partition of the topic it has committed; none before its first commit. */
    Map<TopicPartition, Long> committed(String group, String topic) {
        Map<TopicPartition, OffsetAndMetadata> all;
        try {
            all = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        all.forEach((tp, offset) -> {
            if (offset != null && tp.topic().equals(topic)) {
                out.put(tp, offset.offset());
            }
        });
        return out;
    }

    /** Offsets between the committed offsets and the ends, summed over partitions. */
    static long lag(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            lag += Math.max(0, end.getValue() - committed.getOrDefault(end.getKey(), 0L));
        }
        return lag;
    }

    private static RuntimeException unwrap(ExecutionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }

    private static RuntimeException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("interrupted", e);
    }
}
