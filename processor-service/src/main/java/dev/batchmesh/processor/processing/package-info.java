/** Turns each micro-batch into per-(series, window) partials inside the consumer's Kafka transaction. */
package dev.batchmesh.processor.processing;
