/** Settings of the batcher and the beans wiring ingest, batching and Kafka together. */
package dev.batchmesh.batcher.config;
