package dev.batchmesh.bench.loadgen.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepCriteriaTest {

    private static final StepCriteria CRITERIA = new StepCriteria(Duration.ofMillis(500), 0.001, 0.95);
    private static final long MS = 1_000_000;

    @Test
    void shouldHoldWhenLatencyErrorsCompletionAndLagAreWithinLimits() {
        StepVerdict verdict = CRITERIA.judge(100, 99, 499 * MS, 0.001, List.of());

        assertThat(verdict.sustained()).isTrue();
        assertThat(verdict.reasons()).isEmpty();
    }

    @Test
    void shouldFailOnAP99AboveTheLimit() {
        StepVerdict verdict = CRITERIA.judge(100, 100, 501 * MS, 0, List.of());

        assertThat(verdict.sustained()).isFalse();
        assertThat(verdict.reasons()).singleElement().asString().startsWith("p99 501.0 ms");
    }

    @Test
    void shouldFailOnTooManyErrors() {
        assertThat(CRITERIA.judge(100, 100, MS, 0.002, List.of()).reasons()).singleElement().asString().startsWith("error rate");
    }

    @Test
    void shouldFailWhenFewerRequestsCompleteThanTheRateAskedFor() {
        assertThat(CRITERIA.judge(100, 94, MS, 0, List.of()).reasons()).singleElement().asString().startsWith("completed 94.0");
    }

    @Test
    void shouldFailOnGrowingLagAndNameEveryReason() {
        StepVerdict verdict = CRITERIA.judge(100, 50, 900 * MS, 0.5, List.of("processor on microbatches"));

        assertThat(verdict.sustained()).isFalse();
        assertThat(verdict.reasons()).hasSize(4).contains("lag of processor on microbatches grows");
    }
}
