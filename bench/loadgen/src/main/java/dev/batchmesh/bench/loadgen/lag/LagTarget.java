package dev.batchmesh.bench.loadgen.lag;

import java.util.ArrayList;
import java.util.List;

/** A consumer group and the topic whose lag it has: {@code processor} on {@code microbatches}, the aggregator's Streams application id on {@code partials}. */
public record LagTarget(String group, String topic) {

    public static final String DEFAULTS = "processor:microbatches,aggregator:partials";

    /** {@code group:topic[,group:topic...]}. */
    public static List<LagTarget> parseList(String text) {
        List<LagTarget> targets = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] pair = part.trim().split(":");
            if (pair.length != 2 || pair[0].isBlank() || pair[1].isBlank()) {
                throw new IllegalArgumentException("--lag-targets must be group:topic[,group:topic...], was '" + text + "'");
            }
            targets.add(new LagTarget(pair[0].trim(), pair[1].trim()));
        }
        return List.copyOf(targets);
    }

    @Override
    public String toString() {
        return group + " on " + topic;
    }
}
