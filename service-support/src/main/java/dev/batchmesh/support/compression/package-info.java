/**
 * Kafka's LZ4 compression on the native (JNI) implementation inside a Spring Boot executable jar,
 * where lz4-java would otherwise pick its pure-Java one.
 */
package dev.batchmesh.support.compression;
