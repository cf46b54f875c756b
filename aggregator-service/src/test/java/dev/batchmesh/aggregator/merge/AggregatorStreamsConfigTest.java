package dev.batchmesh.aggregator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.aggregator.config.AggregatorProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class AggregatorStreamsConfigTest {

    @Test
    void shouldNotLetAnIdleFetchOfPartialsWaitTheConsumersDefaultHalfSecond() {
        Properties config = streamsConfig(Map.of());

        assertThat(config.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))).isEqualTo(50);
        assertThat(new StreamsConfig(config).getMainConsumerConfigs("aggregator", "client", 0))
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    @Test
    void shouldTakeTheConfiguredFetchWait() {
        Properties config = streamsConfig(Map.of("aggregator.fetch-max-wait", "PT0.2S"));

        assertThat(new StreamsConfig(config).getMainConsumerConfigs("aggregator", "client", 0))
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200);
    }

    private static Properties streamsConfig(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("aggregator.state-dir", "/tmp/state");
        AggregatorProperties properties = new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate("aggregator", AggregatorProperties.class);
        Properties config = AggregatorStreams.streamsConfig(properties, Map.of(), new HostInfo("127.0.0.1", 8083));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        return config;
    }
}
