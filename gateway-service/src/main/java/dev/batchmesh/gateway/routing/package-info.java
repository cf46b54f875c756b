/** The public operations the YAML routes forward, as a table for 405 answers and the OpenAPI contract test. */
package dev.batchmesh.gateway.routing;
