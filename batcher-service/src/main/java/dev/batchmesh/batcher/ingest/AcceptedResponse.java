package dev.batchmesh.batcher.ingest;

/** The 202 body: how many records the committed transaction holds for this request. */
public record AcceptedResponse(int accepted) {
}
