package dev.batchmesh.aggregator.merge;

/** Told about every merged window, on the stream thread: implementations must not block. */
@FunctionalInterface
public interface WindowMergeListener {

    WindowMergeListener NONE = event -> {
    };

    void onWindowMerged(WindowMerged event);
}
