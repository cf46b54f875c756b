/** Problem answers (RFC 9457) for every error the gateway itself produces: 401, 404, 405, 502, 503, 504. */
package dev.batchmesh.gateway.problem;
