/**
 * Test fixtures the Kafka services share, published as this module's test-jar: a broker outage
 * scenario that checks what the readiness and liveness groups answer before and during it.
 */
package dev.batchmesh.support.testing;
