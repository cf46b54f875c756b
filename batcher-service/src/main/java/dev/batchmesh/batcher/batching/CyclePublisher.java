package dev.batchmesh.batcher.batching;

/** Where sealed cycles go: the Kafka topic in production, an in-memory sink in slice tests. */
public interface CyclePublisher {

    /** The partition count of the target topic, read once at start; series are assigned to partitions with it. */
    int partitionCount();

    /**
     * Publishes every record of the cycle in one transaction and returns only once it committed.
     * Throws when it failed or did not commit in time; then the caller answers 503 to all the cycle's requests.
     */
    void publish(FlushCycle cycle);
}
