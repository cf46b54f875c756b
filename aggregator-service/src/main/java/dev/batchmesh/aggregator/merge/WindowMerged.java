package dev.batchmesh.aggregator.merge;

import dev.batchmesh.core.aggregate.PartialAggregate;

/** A base window of one series changed: {@code aggregate} is its whole state after the merge. */
public record WindowMerged(byte[] seriesBytes, long windowStart, PartialAggregate aggregate) {
}
