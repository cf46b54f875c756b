package dev.batchmesh.aggregator.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchmesh.aggregator.config.AggregatorProperties;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class BoundedRocksDbMemoryTest {

    static {
        RocksDB.loadLibrary();
    }

    private final Map<String, Object> budget = Map.of(
            BoundedRocksDbMemory.MEMORY_BYTES, 48L << 20,
            BoundedRocksDbMemory.WRITE_BUFFER_BYTES, "12582912");

    @Test
    void everyStoreOfTheProcessSharesOneCacheAndWriteBufferManager() {
        try (Options first = new Options(); Options second = new Options()) {
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());
            BoundedRocksDbMemory setter = new BoundedRocksDbMemory();

            setter.setConfig("window-aggregates.1767225600000", first, budget);
            setter.setConfig("window-aggregates.1767268800000", second, budget);

            BoundedRocksDbMemory.Shared shared = BoundedRocksDbMemory.shared(budget);
            assertThat(shared).isNotNull();
            assertThat(first.writeBufferManager()).isSameAs(shared.writeBufferManager());
            assertThat(second.writeBufferManager()).isSameAs(shared.writeBufferManager());
            assertThat(first.writeBufferSize()).isEqualTo(6L << 20);
            assertThat(first.maxWriteBufferNumber()).isEqualTo(2);
            BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();

            setter.close("window-aggregates.1767225600000", first);
            assertThat(shared.cache().isOwningHandle()).as("closing one store leaves the shared cache open").isTrue();
        }
    }

    @Test
    void refusesAStreamsConfigWithoutABudget() {
        try (Options options = new Options()) {
            assertThatThrownBy(() -> new BoundedRocksDbMemory().setConfig("s", options, Map.of()))
                    .hasMessageContaining(BoundedRocksDbMemory.MEMORY_BYTES);
        }
    }

    @Test
    void theAggregatorsStreamsConfigCarriesTheSetterAndTheConfiguredBudget() {
        AggregatorProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "aggregator.state-dir", "/tmp/state",
                "aggregator.rocksdb.memory", "96MB",
                "aggregator.rocksdb.write-buffers", "24MB")))
                .bindOrCreate("aggregator", AggregatorProperties.class);

        Properties config = AggregatorStreams.streamsConfig(properties, Map.of(), new HostInfo("127.0.0.1", 8083));

        assertThat(config.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbMemory.class);
        assertThat(BoundedRocksDbMemory.budget(toMap(config)))
                .isEqualTo(new BoundedRocksDbMemory.Budget(96L << 20, 24L << 20));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Object> toMap(Properties properties) {
        return (Map) properties;
    }
}
