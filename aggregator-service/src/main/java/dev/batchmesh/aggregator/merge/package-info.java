/**
 * The engine: a Kafka Streams topology that merges the partials of every (series, window) into a
 * persistent window store with a changelog, exactly once, and the lifecycle that runs it.
 */
package dev.batchmesh.aggregator.merge;
