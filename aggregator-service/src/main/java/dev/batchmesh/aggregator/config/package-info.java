/** Settings ({@code aggregator.*}) and the beans that wire the engine, the live hub and replica calls. */
package dev.batchmesh.aggregator.config;
