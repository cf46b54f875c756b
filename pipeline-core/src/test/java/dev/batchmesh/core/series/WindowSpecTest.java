package dev.batchmesh.core.series;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowSpecTest {

    @Test
    void shouldAlignWindowsToTheEpochIncludingBeforeIt() {
        WindowSpec w = WindowSpec.DEFAULT;
        assertThat(w.startOf(0)).isZero();
        assertThat(w.startOf(9_999)).isZero();
        assertThat(w.startOf(10_000)).isEqualTo(10_000);
        assertThat(w.startOf(-1)).isEqualTo(-10_000);
        assertThat(w.endOf(10_000)).isEqualTo(20_000);
    }
}
