package dev.batchmesh.aggregator.merge;

import dev.batchmesh.aggregator.config.AggregatorProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the merge topology. Started as the last lifecycle phase, after the web server, because
 * {@code application.server} must carry the port this instance actually listens on: other
 * replicas forward key queries there. Stopped first, before the web server drains.
 */
public class AggregatorStreams implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(AggregatorStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final AggregatorProperties properties;
    private final Map<String, Object> kafkaStreamsProperties;
    private final MergeMetrics mergeMetrics;
    private final WindowMergeListener listener;
    private final MeterRegistry meterRegistry;
    private final MergeTracing tracing;

    private volatile int serverPort;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private KafkaStreamsMetrics streamsMetrics;

    public AggregatorStreams(AggregatorProperties properties, Map<String, Object> kafkaStreamsProperties,
                             MergeMetrics mergeMetrics, WindowMergeListener listener, MeterRegistry meterRegistry,
                             MergeTracing tracing) {
        this.properties = properties;
        this.kafkaStreamsProperties = Map.copyOf(kafkaStreamsProperties);
        this.mergeMetrics = mergeMetrics;
        this.listener = listener;
        this.meterRegistry = meterRegistry;
        this.tracing = tracing;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // the management server publishes its own event (namespace "management"): not our API port
        if (event.getApplicationContext().getServerNamespace() == null) {
            serverPort = event.getWebServer().getPort();
        }
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        self = new HostInfo(properties.advertisedHost(), serverPort);
        StreamsBuilder builder = new StreamsBuilder();
        MergeTopology.build(builder, mergeSettings(properties), mergeMetrics, listener, tracing);
        Properties config = streamsConfig(properties, kafkaStreamsProperties, self);
        KafkaStreams kafkaStreams = new KafkaStreams(builder.build(config), config);
        kafkaStreams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        kafkaStreams.setStateListener((next, previous) -> log.info("Kafka Streams {} -> {}", previous, next));
        streamsMetrics = new KafkaStreamsMetrics(kafkaStreams);
        streamsMetrics.bindTo(meterRegistry);
        streams = kafkaStreams;
        log.info("Starting Kafka Streams {} as {}:{} with state in {}", properties.applicationId(), self.host(),
                self.port(), properties.stateDir());
        kafkaStreams.start();
    }

    public static MergeSettings mergeSettings(AggregatorProperties properties) {
        return new MergeSettings(properties.inputTopic(), properties.windowSize(), properties.storeRetention(),
                properties.decodedWindowsPerTask());
    }

    static Properties streamsConfig(AggregatorProperties properties, Map<String, Object> kafkaStreamsProperties,
                                    HostInfo self) {
        Map<String, Object> config = new HashMap<>(kafkaStreamsProperties);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.numStreamThreads());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), (int) properties.fetchMaxWait().toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.topic().replicas());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.BytesSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        config.put(BoundedRocksDbMemory.MEMORY_BYTES, properties.rocksdb().memory().toBytes());
        config.put(BoundedRocksDbMemory.WRITE_BUFFER_BYTES, properties.rocksdb().writeBuffers().toBytes());
        if (self.port() > 0) {
            config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        }
        Properties props = new Properties();
        props.putAll(config);
        return props;
    }

    @Override
    public synchronized void stop() {
        KafkaStreams kafkaStreams = streams;
        if (kafkaStreams == null) {
            return;
        }
        streams = null;
        log.info("Closing Kafka Streams {}", properties.applicationId());
        // leave the group at once: the partitions move to the other replicas without waiting for
        // the session timeout, and a restarted instance rejoins without a stale member in the way
        kafkaStreams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** After the web server (which starts in an earlier phase), before its graceful shutdown. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    public KafkaStreams.State state() {
        KafkaStreams kafkaStreams = streams;
        return kafkaStreams == null ? KafkaStreams.State.NOT_RUNNING : kafkaStreams.state();
    }

    /** This instance as other replicas see it in the Streams metadata. */
    public HostInfo self() {
        return self;
    }

    /** The local window store, readable only while Streams is RUNNING. */
    public ReadOnlyWindowStore<Bytes, byte[]> localStore() {
        KafkaStreams kafkaStreams = requireRunning();
        try {
            return kafkaStreams.store(StoreQueryParameters.fromNameAndType(MergeTopology.STORE,
                    QueryableStoreTypes.<Bytes, byte[]>windowStore()));
        } catch (InvalidStateStoreException e) {
            throw new StreamsUnavailableException("the window store is not queryable: " + e.getMessage(), e);
        }
    }

    /** Which instance holds the active window store of a series. */
    public KeyQueryMetadata ownerOf(byte[] seriesBytes) {
        KafkaStreams kafkaStreams = requireRunning();
        KeyQueryMetadata metadata = kafkaStreams.queryMetadataForKey(MergeTopology.STORE, Bytes.wrap(seriesBytes),
                Serdes.Bytes().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw new StreamsUnavailableException("the owner of the series is not known yet");
        }
        return metadata;
    }

    /** Every instance that hosts part of the window store, this one included. */
    public List<HostInfo> storeHosts() {
        KafkaStreams kafkaStreams = requireRunning();
        Collection<StreamsMetadata> metadata = kafkaStreams.streamsMetadataForStore(MergeTopology.STORE);
        List<HostInfo> hosts = metadata.stream()
                .filter(m -> m.stateStoreNames().contains(MergeTopology.STORE)) // active, not standby
                .map(StreamsMetadata::hostInfo)
                .distinct()
                .toList();
        if (hosts.isEmpty()) {
            throw new StreamsUnavailableException("no replica hosts the window store yet");
        }
        return hosts;
    }

    private KafkaStreams requireRunning() {
        KafkaStreams kafkaStreams = streams;
        if (kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            throw new StreamsUnavailableException("the aggregate store is " + state().name().toLowerCase()
                    .replace('_', ' '));
        }
        return kafkaStreams;
    }
}
