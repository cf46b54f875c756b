package dev.batchmesh.bench.loadgen.lag;

/**
 * One reading of a group's lag on a topic, summed over its partitions.
 *
 * @param epochMillis when it was taken
 * @param lag         messages not yet committed by the group
 * @param endOffsets  the sum of the partitions' end offsets: its growth is the topic's produce rate
 */
public record LagSample(long epochMillis, long lag, long endOffsets) {
}
