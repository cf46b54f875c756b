package dev.batchmesh.bench.workload;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The values records carry. Log-normal is the default because latencies, payload sizes and order
 * amounts are: a typical value and a long right tail.
 */
public sealed interface ValueDistribution
        permits ValueDistribution.LogNormal, ValueDistribution.Normal, ValueDistribution.Uniform {

    double next(RandomGenerator random);

    /** The spec this distribution was parsed from, e.g. {@code lognormal:20,0.8}. */
    String spec();

    /** {@code lognormal:MEDIAN,SIGMA}, {@code normal:MEAN,STDDEV} or {@code uniform:MIN,MAX}. */
    static ValueDistribution parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String[] params = colon < 0 ? new String[0] : s.substring(colon + 1).split(",");
        if (params.length != 2) {
            throw new IllegalArgumentException("value distribution must be lognormal:MEDIAN,SIGMA, normal:MEAN,STDDEV"
                    + " or uniform:MIN,MAX, was '" + spec + "'");
        }
        double a = number(params[0], spec);
        double b = number(params[1], spec);
        return switch (name) {
            case "lognormal" -> new LogNormal(a, b);
            case "normal" -> new Normal(a, b);
            case "uniform" -> new Uniform(a, b);
            default -> throw new IllegalArgumentException("unknown value distribution '" + name + "' in '" + spec + "'");
        };
    }

    private static double number(String text, String spec) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' in value distribution '" + spec + "' is not a finite number");
        }
    }

    /** {@code exp(N(ln median, sigma^2))}: half the values fall below {@code median}. */
    record LogNormal(double median, double sigma) implements ValueDistribution {

        public LogNormal {
            if (!(median > 0) || sigma < 0) {
                throw new IllegalArgumentException("lognormal needs median > 0 and sigma >= 0, was " + median + ", " + sigma);
            }
        }

        @Override
        public double next(RandomGenerator random) {
            return median * Math.exp(sigma * random.nextGaussian());
        }

        @Override
        public String spec() {
            return "lognormal:" + median + "," + sigma;
        }
    }

    record Normal(double mean, double stddev) implements ValueDistribution {

        public Normal {
            if (stddev < 0) {
                throw new IllegalArgumentException("normal needs stddev >= 0, was " + stddev);
            }
        }

        @Override
        public double next(RandomGenerator random) {
            return mean + stddev * random.nextGaussian();
        }

        @Override
        public String spec() {
            return "normal:" + mean + "," + stddev;
        }
    }

    record Uniform(double min, double max) implements ValueDistribution {

        public Uniform {
            if (!(min < max)) {
                throw new IllegalArgumentException("uniform needs min < max, was " + min + ", " + max);
            }
        }

        @Override
        public double next(RandomGenerator random) {
            return random.nextDouble(min, max);
        }

        @Override
        public String spec() {
            return "uniform:" + min + "," + max;
        }
    }
}
