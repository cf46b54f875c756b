/** Typed settings of the gateway (gateway.*). */
package dev.batchmesh.gateway.config;
