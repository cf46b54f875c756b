package dev.batchmesh.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {

    private static WorkloadSpec spec(String... extra) {
        return WorkloadSpec.from(Arguments.parse(extra));
    }

    private static List<WorkloadRecord> take(WorkloadSpec spec, int n) {
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        List<WorkloadRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(generator.next());
        }
        return out;
    }

    @Test
    void shouldGenerateTheSameSequenceForTheSameSeed() {
        WorkloadSpec spec = spec("--keys", "300", "--key-distribution", "zipf:1.1", "--seed", "99");

        assertThat(take(spec, 10_000)).isEqualTo(take(spec, 10_000));
    }

    @Test
    void shouldGenerateADifferentSequenceForAnotherSeed() {
        List<WorkloadRecord> a = take(spec("--seed", "1"), 1000);
        List<WorkloadRecord> b = take(spec("--seed", "2"), 1000);

        long sameValues = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).value() == b.get(i).value()) {
                sameValues++;
            }
        }
        assertThat(sameValues).isLessThan(50);
        assertThat(a.stream().map(WorkloadRecord::key).toList()).isNotEqualTo(b.stream().map(WorkloadRecord::key).toList());
    }

    @Test
    void shouldDrawLogNormalValuesAroundTheMedianWithARightTail() {
        double[] values = take(spec("--values", "lognormal:20,0.8", "--decimals", "-1"), 100_000).stream()
                .mapToDouble(WorkloadRecord::value).sorted().toArray();

        double median = values[values.length / 2];
        double p99 = values[(int) (values.length * 0.99)];
        assertThat(median).isCloseTo(20.0, within(0.5));
        // the 99th percentile of a log-normal is median * exp(2.326 sigma): about 129 here
        assertThat(p99).isCloseTo(20 * Math.exp(2.326 * 0.8), within(8.0));
        assertThat(values[0]).isPositive();
    }

    @Test
    void shouldRoundValuesToTheRequestedDecimals() {
        for (WorkloadRecord r : take(spec("--decimals", "2"), 1000)) {
            assertThat(Math.abs(r.value() * 100 - Math.round(r.value() * 100))).isLessThan(1e-6);
        }
    }

    @Test
    void shouldPlaceTimestampsAtTheEventRateWithinTheJitter() {
        WorkloadSpec spec = spec("--start", "1000000", "--events-per-second", "1000", "--jitter-ms", "50");
        List<WorkloadRecord> records = take(spec, 5000);

        for (int i = 0; i < records.size(); i++) {
            long nominal = 1_000_000 + i;
            assertThat(records.get(i).timestampMillis()).isBetween(nominal - 50, nominal);
        }
        assertThat(records.stream().mapToLong(WorkloadRecord::timestampMillis).distinct().count()).isGreaterThan(1000);
    }

    @Test
    void shouldNameKeysByRankWithPaddingSoTheySortByRank() {
        WorkloadGenerator generator = new WorkloadGenerator(spec("--keys", "1000"));

        assertThat(generator.keyName(0)).isEqualTo("key-000");
        assertThat(generator.keyName(999)).isEqualTo("key-999");
        String[] names = {generator.keyName(20), generator.keyName(3), generator.keyName(100)};
        Arrays.sort(names);
        assertThat(names).containsExactly("key-003", "key-020", "key-100");
    }

    @Test
    void shouldDescribeEqualSpecsEquallyAndDifferentSpecsDifferently() {
        assertThat(spec("--seed", "5").describe()).isEqualTo(spec("--seed", "5").describe());
        assertThat(spec("--seed", "5").describe()).isNotEqualTo(spec("--seed", "6").describe());
        assertThat(spec("--keys", "10").describe()).isNotEqualTo(spec("--keys", "11").describe());
    }

    @Test
    void shouldRefuseAnOptionNobodyRead() {
        Arguments args = Arguments.parse("--keys", "10", "--kyes", "20");
        WorkloadSpec.from(args);

        assertThatThrownBy(args::rejectUnused).hasMessageContaining("--kyes");
    }
}
