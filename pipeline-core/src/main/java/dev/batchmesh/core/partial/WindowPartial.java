package dev.batchmesh.core.partial;

import dev.batchmesh.core.aggregate.PartialAggregate;

/** The partial aggregate of one series in the window starting at {@code windowStart} (epoch millis). */
public record WindowPartial(long windowStart, PartialAggregate aggregate) {
}
