package dev.batchmesh.bench.loadgen.lag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads each target group's lag through the admin client: end offsets minus committed offsets,
 * summed over the topic's partitions (a partition the group never committed counts whole).
 * Samples are kept in memory; {@link #samples} returns them for any time range.
 */
public final class ConsumerLagSampler implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 5;

    private final Admin admin;
    private final List<LagTarget> targets;
    private final Map<LagTarget, List<LagSample>> samples = new LinkedHashMap<>();
    private final Map<String, List<TopicPartition>> partitions = new HashMap<>();
    private long failures;

    public ConsumerLagSampler(String bootstrapServers, List<LagTarget> targets) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "batchmesh-loadgen");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        this.admin = Admin.create(props);
        this.targets = List.copyOf(targets);
        targets.forEach(t -> samples.put(t, new ArrayList<>()));
    }

    /** Takes one sample of every target; a target that cannot be read this time is skipped and counted. */
    public synchronized void sample() {
        for (LagTarget target : targets) {
            try {
                samples.get(target).add(read(target));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
                failures++;
            }
        }
    }

    private LagSample read(LagTarget target) throws Exception {
        List<TopicPartition> topicPartitions = partitionsOf(target.topic());
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(target.group())
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topicPartitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long lag = 0;
        long endSum = 0;
        for (TopicPartition tp : topicPartitions) {
            long end = ends.get(tp).offset();
            OffsetAndMetadata offset = committed.get(tp);
            endSum += end;
            lag += Math.max(0, end - (offset == null ? 0 : offset.offset()));
        }
        return new LagSample(System.currentTimeMillis(), lag, endSum);
    }

    private List<TopicPartition> partitionsOf(String topic) throws Exception {
        List<TopicPartition> known = partitions.get(topic);
        if (known != null) {
            return known;
        }
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
        List<TopicPartition> list = description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        partitions.put(topic, list);
        return list;
    }

    public List<LagTarget> targets() {
        return targets;
    }

    public synchronized List<LagSample> samples(LagTarget target) {
        return List.copyOf(samples.get(target));
    }

    /** The samples of {@code target} taken in {@code [fromMillis, toMillis]}. */
    public synchronized List<LagSample> samples(LagTarget target, long fromMillis, long toMillis) {
        return samples.get(target).stream().filter(s -> s.epochMillis() >= fromMillis && s.epochMillis() <= toMillis).toList();
    }

    public synchronized long failures() {
        return failures;
    }

    /** Waits until every target's lag is at most {@code maxLag}, sampling once a second, or the timeout passes. */
    public boolean awaitDrained(long maxLag, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            sample();
            boolean drained;
            synchronized (this) {
                drained = targets.stream().allMatch(t -> {
                    List<LagSample> list = samples.get(t);
                    return !list.isEmpty() && list.getLast().lag() <= maxLag;
                });
            }
            if (drained) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
