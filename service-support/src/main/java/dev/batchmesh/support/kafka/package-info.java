/**
 * What every service that talks to Kafka exposes about it: a Kafka connectivity check for the
 * readiness group, and the lag of the service's own consumer group as a gauge. Auto-configured for
 * any service with this module and a {@code KafkaAdmin} on its classpath.
 */
package dev.batchmesh.support.kafka;
