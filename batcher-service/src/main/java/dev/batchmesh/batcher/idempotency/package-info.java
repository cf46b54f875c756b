/**
 * Idempotency-Key: a log of claims and commits on Kafka that every replica reads whole, so a repeat
 * is recognised on any replica and after restarts, and a key's "done" marker commits atomically with
 * its records.
 */
package dev.batchmesh.batcher.idempotency;
