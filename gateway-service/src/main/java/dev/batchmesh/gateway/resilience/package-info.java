/** Circuit breakers and time limits per route: a failing backend gets fast, clear 503s instead of piled-up connections. */
package dev.batchmesh.gateway.resilience;
