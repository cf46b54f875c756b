package dev.batchmesh.core.testing;

import java.util.SplittableRandom;

/** Value distributions users send, including the numerically hard ones, for seeded randomized tests. */
public enum ValueShapes {
    LATENCY_MS {
        @Override
        public double next(SplittableRandom r) {
            return Math.exp(3 + r.nextGaussian() * 1.2);
        }
    },
    ORDER_AMOUNTS {
        @Override
        public double next(SplittableRandom r) {
            return Math.round(r.nextDouble(0.5, 5000) * 100) / 100.0;
        }
    },
    LARGE_OFFSET_SMALL_SPREAD {
        @Override
        public double next(SplittableRandom r) {
            return 1e9 + r.nextGaussian() * 1e-3;
        }
    },
    CANCELLING_SIGNS {
        @Override
        public double next(SplittableRandom r) {
            return (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextInt(-3, 12)) * r.nextDouble();
        }
    },
    SMALL_INTEGERS {
        @Override
        public double next(SplittableRandom r) {
            return r.nextInt(-5, 6);
        }
    },
    TEMPERATURE {
        @Override
        public double next(SplittableRandom r) {
            return 21.5 + r.nextGaussian() * 3;
        }
    };

    public abstract double next(SplittableRandom r);

    public double[] sample(SplittableRandom r, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = next(r);
        }
        return out;
    }
}
