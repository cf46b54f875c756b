/** Settings of the processor and the Kafka wiring that makes consume-transform-produce exactly once. */
package dev.batchmesh.processor.config;
