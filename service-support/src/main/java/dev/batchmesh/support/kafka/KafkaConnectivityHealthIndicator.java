package dev.batchmesh.support.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP while the broker answers {@code describeCluster} within the timeout (details: cluster id and
 * node count), DOWN with the error otherwise. Belongs in the readiness group only: a service that
 * cannot reach Kafka should get no traffic, but restarting it would not bring the broker back.
 * An answer is reused for {@code cacheFor}; probes arriving meanwhile wait for the one check in flight
 * rather than start their own.
 */
public final class KafkaConnectivityHealthIndicator implements HealthIndicator {

    private final Admin admin;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock;
    private Health last;
    private Instant checkedAt = Instant.MIN;

    public KafkaConnectivityHealthIndicator(Admin admin, Duration timeout, Duration cacheFor, Clock clock) {
        this.admin = admin;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    @Override
    public synchronized Health health() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(checkedAt.plus(cacheFor))) {
            last = check();
            checkedAt = clock.instant();
        }
        return last;
    }

    private Health check() {
        long millis = timeout.toMillis();
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) millis));
            // the admin call gives up after the timeout itself; the margin only covers its bookkeeping
            String clusterId = cluster.clusterId().get(millis + 500, TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(millis + 500, TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("clusterId", String.valueOf(clusterId)).withDetail("nodes", nodes).build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause()).build();
        } catch (TimeoutException e) {
            return Health.down(e).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        }
    }
}
