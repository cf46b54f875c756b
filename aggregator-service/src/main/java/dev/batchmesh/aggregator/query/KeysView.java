package dev.batchmesh.aggregator.query;

import java.util.List;

/** Answer of {@code GET /v1/streams/{stream}/keys} (and of its internal per-instance part): sorted keys. */
record KeysView(List<String> keys) {

    KeysView {
        keys = List.copyOf(keys);
    }
}
