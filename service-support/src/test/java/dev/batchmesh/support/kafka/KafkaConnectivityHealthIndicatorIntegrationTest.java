package dev.batchmesh.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

@EmbeddedKafka
class KafkaConnectivityHealthIndicatorIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void shouldBeUpWithTheClusterIdAndNodeCountWhenTheBrokerAnswers() {
        try (Admin admin = admin(EmbeddedKafkaCondition.getBroker().getBrokersAsString())) {
            Health health = new KafkaConnectivityHealthIndicator(admin, TIMEOUT, Duration.ZERO, Clock.systemUTC()).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("nodes", 1);
            assertThat((String) health.getDetails().get("clusterId")).isNotBlank().isNotEqualTo("null");
        }
    }

    @Test
    void shouldBeDownWithTheErrorWhenNoBrokerListens() throws IOException {
        try (Admin admin = admin("127.0.0.1:" + closedPort())) {
            Health health = new KafkaConnectivityHealthIndicator(admin, Duration.ofMillis(500), Duration.ZERO, Clock.systemUTC())
                    .health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) health.getDetails().get("error")).contains("Timeout");
        }
    }

    @Test
    void shouldReuseAnAnswerUntilItIsOlderThanCacheFor() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Admin admin = admin(broker.getBrokersAsString())) {
            KafkaConnectivityHealthIndicator indicator =
                    new KafkaConnectivityHealthIndicator(admin, Duration.ofMillis(500), Duration.ofSeconds(5), clock);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            broker.destroy();
            clock.advance(Duration.ofMillis(4_999));
            assertThat(indicator.health().getStatus()).as("within cacheFor: the last answer").isEqualTo(Status.UP);

            clock.advance(Duration.ofMillis(1));
            assertThat(indicator.health().getStatus()).as("cacheFor elapsed: asks the broker again").isEqualTo(Status.DOWN);
        } finally {
            broker.destroy();
        }
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    /** A loopback port nothing listens on: connections are refused at once. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static final class SettableClock extends Clock {

        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
