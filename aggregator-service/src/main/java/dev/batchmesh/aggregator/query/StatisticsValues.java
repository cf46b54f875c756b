package dev.batchmesh.aggregator.query;

import dev.batchmesh.core.aggregate.Statistics;

/** JSON numbers never carry NaN or infinities: what is undefined (stats of no records) is null. */
final class StatisticsValues {

    private StatisticsValues() {
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    static Double stddev(Statistics s) {
        return s.stddev() == null ? null : finite(s.stddev());
    }
}
