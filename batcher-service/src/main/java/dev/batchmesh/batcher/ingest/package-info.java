/** HTTP ingest: request checks, streaming parse and validation of records, problem responses. */
package dev.batchmesh.batcher.ingest;
