package dev.batchmesh.bench.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How often each of {@link #keys()} keys is picked. Keys are named by rank, 0 the most frequent.
 * Uniform gives every rank the same share; Zipf gives rank {@code r} a share proportional to
 * {@code 1 / (r + 1)^s}, the skew of real key populations: a few hot endpoints or customers and a
 * long tail.
 */
public sealed interface KeyDistribution permits KeyDistribution.Uniform, KeyDistribution.Zipf {

    /** Zipf keeps a cumulative table of one double per key; this bounds it to 80 MB. */
    int MAX_KEYS = 10_000_000;

    int keys();

    /** The rank of the next key, in {@code [0, keys)}. */
    int nextRank(RandomGenerator random);

    /** The expected fraction of records that carry the key of {@code rank}. */
    double share(int rank);

    /** The spec this distribution was parsed from, e.g. {@code uniform} or {@code zipf:1.1}. */
    String spec();

    /** {@code uniform}, {@code zipf} (exponent 1) or {@code zipf:S} with {@code S > 0}. */
    static KeyDistribution parse(String spec, int keys) {
        if (keys < 1 || keys > MAX_KEYS) {
            throw new IllegalArgumentException("keys must be between 1 and " + MAX_KEYS + ", was " + keys);
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("uniform")) {
            return new Uniform(keys);
        }
        if (s.equals("zipf")) {
            return new Zipf(keys, 1.0);
        }
        if (s.startsWith("zipf:")) {
            double exponent;
            try {
                exponent = Double.parseDouble(s.substring("zipf:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("zipf exponent must be a number, was '" + spec + "'");
            }
            return new Zipf(keys, exponent);
        }
        throw new IllegalArgumentException("key distribution must be uniform, zipf or zipf:EXPONENT, was '" + spec + "'");
    }

    record Uniform(int keys) implements KeyDistribution {

        public Uniform {
            if (keys < 1) {
                throw new IllegalArgumentException("keys must be positive, was " + keys);
            }
        }

        @Override
        public int nextRank(RandomGenerator random) {
            return random.nextInt(keys);
        }

        @Override
        public double share(int rank) {
            return 1.0 / keys;
        }

        @Override
        public String spec() {
            return "uniform";
        }
    }

    /** Sampled by inverting a precomputed cumulative distribution: one uniform draw and a binary search per key. */
    final class Zipf implements KeyDistribution {

        private final int keys;
        private final double exponent;
        private final double[] cumulative;

        public Zipf(int keys, double exponent) {
            if (keys < 1 || keys > MAX_KEYS) {
                throw new IllegalArgumentException("keys must be between 1 and " + MAX_KEYS + ", was " + keys);
            }
            if (!(exponent > 0) || Double.isInfinite(exponent)) {
                throw new IllegalArgumentException("zipf exponent must be positive and finite, was " + exponent);
            }
            this.keys = keys;
            this.exponent = exponent;
            this.cumulative = new double[keys];
            double total = 0;
            for (int r = 0; r < keys; r++) {
                total += weight(r);
                cumulative[r] = total;
            }
            for (int r = 0; r < keys; r++) {
                cumulative[r] /= total;
            }
            // rounding must not leave a sliver above the last key that no rank covers
            cumulative[keys - 1] = 1.0;
        }

        private double weight(int rank) {
            return Math.pow(rank + 1, -exponent);
        }

        public double exponent() {
            return exponent;
        }

        @Override
        public int keys() {
            return keys;
        }

        @Override
        public int nextRank(RandomGenerator random) {
            double u = random.nextDouble();
            int i = Arrays.binarySearch(cumulative, u);
            // an exact hit on a boundary belongs to the next rank: ranks own [cdf(r-1), cdf(r))
            int rank = i >= 0 ? i + 1 : -i - 1;
            return Math.min(rank, keys - 1);
        }

        @Override
        public double share(int rank) {
            return rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
        }

        @Override
        public String spec() {
            return "zipf:" + exponent;
        }
    }
}
