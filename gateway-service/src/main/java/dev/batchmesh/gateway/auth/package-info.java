/** API keys to tenants: authenticates every routed request and sets the tenant header for the backends. */
package dev.batchmesh.gateway.auth;
