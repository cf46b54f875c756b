/**
 * The query API: aggregates of one key over a range and step, keys and summary of a stream, live
 * updates; answered by the replica that owns a key, scattered over all replicas for whole streams.
 */
package dev.batchmesh.aggregator.query;
