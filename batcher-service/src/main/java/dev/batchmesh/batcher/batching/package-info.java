/** Flush cycles: per-partition buffers of validated records, sealed by count, bytes or linger, published one after another. */
package dev.batchmesh.batcher.batching;
