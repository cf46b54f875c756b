/**
 * Per-tenant rate limits on requests and on records, local to each gateway replica: token buckets
 * in memory, answered with 429, Retry-After and RateLimit headers.
 */
package dev.batchmesh.gateway.ratelimit;
