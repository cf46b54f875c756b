/** Serves the public API description, docs/openapi.yaml, at GET /v1/openapi.yaml. */
package dev.batchmesh.gateway.api;
