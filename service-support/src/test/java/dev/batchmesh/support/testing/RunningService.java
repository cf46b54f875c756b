package dev.batchmesh.support.testing;

import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A started service as the probes see it.
 *
 * @param management a client of the actuator endpoints on the management port
 * @param stop       stops the service
 */
public record RunningService(WebTestClient management, Runnable stop) implements AutoCloseable {

    public static RunningService of(ConfigurableApplicationContext context) {
        WebTestClient management = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port"))
                .responseTimeout(Duration.ofSeconds(10)).build();
        return new RunningService(management, context::close);
    }

    @Override
    public void close() {
        stop.run();
    }
}
