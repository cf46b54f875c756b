package dev.batchmesh.support.kafka;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/**
 * The admin client of the health check and the lag gauges. Closes within a bound: with the broker
 * out of reach the client holds metadata requests that would otherwise keep shutdown waiting for
 * the client's default API timeout (a minute), past the graceful-shutdown phase.
 */
record SupportAdmin(Admin admin) implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public void close() {
        admin.close(CLOSE_TIMEOUT);
    }
}
