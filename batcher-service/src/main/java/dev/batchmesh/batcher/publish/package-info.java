/** Publishing a flush cycle as micro-batch messages in one Kafka transaction. */
package dev.batchmesh.batcher.publish;
