package dev.batchmesh.aggregator.merge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Puts every RocksDB instance of the process under one memory budget. The window store is
 * segmented, so each task holds several RocksDB instances, and by default each would get its own
 * 50 MB block cache and up to three 16 MB memtables: a few partitions already cost hundreds of MB
 * of native memory no heap limit sees. Here all of them share one LRU cache that also accounts for
 * the memtables ({@link WriteBufferManager}), and index and filter blocks live in it too.
 *
 * <p>Kafka Streams instantiates this class by name, so the budget travels in the Streams config
 * ({@link #MEMORY_BYTES}, {@link #WRITE_BUFFER_BYTES}); one cache exists per distinct budget.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    public static final String MEMORY_BYTES = "batchmesh.rocksdb.memory.bytes";
    public static final String WRITE_BUFFER_BYTES = "batchmesh.rocksdb.write-buffer.bytes";
    private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
    private static final int MEMTABLES_PER_STORE = 2;

    private static final Map<Budget, Shared> SHARED = new ConcurrentHashMap<>();

    record Budget(long memoryBytes, long writeBufferBytes) {
        Budget {
            if (memoryBytes <= 0 || writeBufferBytes <= 0 || writeBufferBytes > memoryBytes) {
                throw new IllegalArgumentException("RocksDB memory must be positive and hold the write buffers: "
                        + memoryBytes + " / " + writeBufferBytes);
            }
        }
    }

    /** Lives as long as the process: stores come and go with rebalances, the cache stays. */
    record Shared(Cache cache, WriteBufferManager writeBufferManager) {
        static Shared of(Budget budget) {
            Cache cache = new LRUCache(budget.memoryBytes(), -1, false, HIGH_PRIORITY_POOL_RATIO);
            return new Shared(cache, new WriteBufferManager(budget.writeBufferBytes(), cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Budget budget = budget(configs);
        Shared shared = SHARED.computeIfAbsent(budget, Shared::of);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBufferManager());
        options.setWriteBufferSize(Math.max(1, budget.writeBufferBytes() / MEMTABLES_PER_STORE));
        options.setMaxWriteBufferNumber(MEMTABLES_PER_STORE);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared: closing them here would break the other stores
    }

    static Budget budget(Map<String, Object> configs) {
        return new Budget(longValue(configs, MEMORY_BYTES), longValue(configs, WRITE_BUFFER_BYTES));
    }

    static Shared shared(Map<String, Object> configs) {
        return SHARED.get(budget(configs));
    }

    private static long longValue(Map<String, Object> configs, String name) {
        Object value = configs.get(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set in the Streams config");
        }
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
    }
}
