/** Micro-batches that cannot be decoded go to the dead-letter topic instead of blocking their partition. */
package dev.batchmesh.processor.deadletter;
