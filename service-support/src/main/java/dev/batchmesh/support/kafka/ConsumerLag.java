package dev.batchmesh.support.kafka;

/**
 * How far a consumer group is behind on one topic, in offsets: summed over the partitions and the
 * largest single partition.
 */
public record ConsumerLag(long total, long maxPartition) {
}
