/** What the gateway does to every exchange at the edge: security headers, cross-origin rules. */
package dev.batchmesh.gateway.edge;
