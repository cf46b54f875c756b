package dev.batchmesh.aggregator.query;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Answer of {@code GET /v1/streams/{stream}/aggregates}: windows sorted by start, empty ones left out. */
@JsonPropertyOrder({"stream", "key", "step", "windows"})
record AggregatesView(String stream, String key, String step, List<WindowView> windows) {

    AggregatesView {
        windows = List.copyOf(windows);
    }
}
