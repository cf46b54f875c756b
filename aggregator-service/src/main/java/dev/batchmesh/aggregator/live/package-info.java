/** Live updates: the in-JVM hub through which merged windows reach Server-Sent Events subscribers. */
package dev.batchmesh.aggregator.live;
