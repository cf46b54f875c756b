package dev.batchmesh.core.partial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.codec.UnsupportedFormatVersionException;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeriesPartialsCodecTest {

    private static final long WINDOW = 10_000;

    @Test
    void shouldCarryEverySeriesOfABundleWithItsWindowsAndTheEarliestArrival() {
        SeriesPartials cpu = series("host-a", 1_000, window(0, 1, 2, 3), window(10_000, 4));
        SeriesPartials mem = series("host-b", 900, window(10_000, 7));

        List<SeriesPartialsCodec.Bundle> bundles = SeriesPartialsCodec.encodeBundles(List.of(cpu, mem), 1_000_000);

        assertThat(bundles).singleElement().satisfies(b -> {
            assertThat(b.from()).isZero();
            assertThat(b.to()).isEqualTo(2);
            assertThat(b.value()[0]).isEqualTo((byte) SeriesPartialsCodec.VERSION_2);
        });
        List<SeriesPartials> decoded = SeriesPartialsCodec.decodeMessage(null, bundles.getFirst().value());
        assertThat(decoded).extracting(SeriesPartials::series).containsExactly(cpu.series(), mem.series());
        assertThat(decoded).allSatisfy(p -> {
            assertThat(p.windowSizeMillis()).isEqualTo(WINDOW);
            assertThat(p.batchCreatedAt()).as("the earliest arrival of the message's series").isEqualTo(900);
        });
        assertThat(decoded.getFirst().windows()).extracting(WindowPartial::windowStart).containsExactly(0L, 10_000L);
        assertThat(decoded.getFirst().windows().getFirst().aggregate().sum()).isEqualTo(6.0);
        assertThat(decoded.get(1).windows().getFirst().aggregate().max()).isEqualTo(7.0);
    }

    @Test
    void shouldCutBundlesAtTheByteLimitKeepingEverySeriesOnceAndInOrder() {
        SplittableRandom random = new SplittableRandom(11);
        List<SeriesPartials> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double[] values = random.doubles(1 + random.nextInt(400), 0, 100).toArray();
            all.add(series("key-" + i, 5_000 + i, window(20_000, values)));
        }
        int maxBytes = 8_192;

        List<SeriesPartialsCodec.Bundle> bundles = SeriesPartialsCodec.encodeBundles(all, maxBytes);

        assertThat(bundles).hasSizeGreaterThan(10);
        List<SeriesPartials> decoded = new ArrayList<>();
        int expectedFrom = 0;
        for (SeriesPartialsCodec.Bundle bundle : bundles) {
            assertThat(bundle.from()).isEqualTo(expectedFrom);
            List<SeriesPartials> part = SeriesPartialsCodec.decodeMessage(null, bundle.value());
            assertThat(part).hasSize(bundle.to() - bundle.from());
            if (part.size() > 1) {
                assertThat(bundle.value().length).as("a bundle of several series stays within the limit").isLessThanOrEqualTo(maxBytes + 32);
            }
            decoded.addAll(part);
            expectedFrom = bundle.to();
        }
        assertThat(expectedFrom).isEqualTo(all.size());
        assertThat(decoded).extracting(SeriesPartials::series).containsExactlyElementsOf(all.stream().map(SeriesPartials::series).toList());
        for (int i = 0; i < all.size(); i++) {
            PartialAggregate expected = all.get(i).windows().getFirst().aggregate();
            PartialAggregate actual = decoded.get(i).windows().getFirst().aggregate();
            assertThat(actual.count()).isEqualTo(expected.count());
            assertThat(actual.sum()).isEqualTo(expected.sum());
            assertThat(actual.quantile(0.5)).isEqualTo(expected.quantile(0.5));
        }
    }

    @Test
    void shouldGiveASeriesLargerThanTheLimitAMessageOfItsOwn() {
        SeriesPartials small = series("a", 1, window(0, 1));
        SeriesPartials large = series("b", 1, window(0, new SplittableRandom(3).doubles(5_000).toArray()));

        List<SeriesPartialsCodec.Bundle> bundles = SeriesPartialsCodec.encodeBundles(List.of(small, large, small), 2_048);

        assertThat(bundles).extracting(b -> b.to() - b.from()).containsExactly(1, 1, 1);
        assertThat(SeriesPartialsCodec.decodeMessage(null, bundles.get(1).value())).singleElement()
                .satisfies(p -> assertThat(p.windows().getFirst().aggregate().count()).isEqualTo(5_000));
    }

    @Test
    void shouldStillReadVersionOneMessagesKeyedBySeriesBytes() {
        SeriesPartials cpu = series("host-a", 42, window(0, 1, 2));

        List<SeriesPartials> decoded = SeriesPartialsCodec.decodeMessage(cpu.series().toBytes(), SeriesPartialsCodec.encodeValue(cpu));

        assertThat(decoded).singleElement().satisfies(p -> {
            assertThat(p.series()).isEqualTo(cpu.series());
            assertThat(p.batchCreatedAt()).isEqualTo(42);
            assertThat(p.windows().getFirst().aggregate().count()).isEqualTo(2);
        });
        assertThatThrownBy(() -> SeriesPartialsCodec.decodeMessage(null, SeriesPartialsCodec.encodeValue(cpu)))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("key");
    }

    @Test
    void shouldRefuseTruncatedTrailingAndUnknownVersionBytes() {
        byte[] valid = SeriesPartialsCodec.encodeBundles(List.of(series("k", 1, window(0, 1, 2, 3))), 1_000).getFirst().value();
        byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
        byte[] unknown = valid.clone();
        unknown[0] = 9;

        assertThatThrownBy(() -> SeriesPartialsCodec.decodeMessage(null, Arrays.copyOf(valid, valid.length - 2)))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> SeriesPartialsCodec.decodeMessage(null, trailing))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("unexpected bytes");
        assertThatThrownBy(() -> SeriesPartialsCodec.decodeMessage(null, unknown))
                .isInstanceOf(UnsupportedFormatVersionException.class);
        assertThatThrownBy(() -> SeriesPartialsCodec.decodeMessage(null, new byte[0]))
                .isInstanceOf(MalformedDataException.class);
    }

    @Test
    void shouldRefuseToBundleSeriesOfDifferentWindowSizes() {
        SeriesPartials tenSeconds = series("a", 1, window(0, 1));
        SeriesPartials minute = new SeriesPartials(new SeriesKey("t1", "cpu", "b"), 60_000, 1, List.of(window(0, 1)));

        assertThatThrownBy(() -> SeriesPartialsCodec.encodeBundles(List.of(tenSeconds, minute), 1_000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SeriesPartials series(String key, long createdAt, WindowPartial... windows) {
        return new SeriesPartials(new SeriesKey("t1", "cpu", key), WINDOW, createdAt, List.of(windows));
    }

    private static WindowPartial window(long start, double... values) {
        return new WindowPartial(start, PartialAggregate.of(PartialAggregate.DEFAULT_SKETCH_K, values));
    }
}
