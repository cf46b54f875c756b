package dev.batchmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong();

    private void advanceSeconds(double s) {
        now.addAndGet((long) (s * 1e9));
    }

    @Test
    void shouldAllowTheBurstThenRefuseUntilRefilled() {
        TokenBucket bucket = new TokenBucket(2, 3, now::get);

        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isFalse();
        assertThat(bucket.secondsUntil(1)).isEqualTo(1);

        advanceSeconds(0.5);
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isFalse();
    }

    @Test
    void shouldNeverRefillAboveCapacity() {
        TokenBucket bucket = new TokenBucket(100, 5, now::get);
        advanceSeconds(60);
        assertThat(bucket.remaining()).isEqualTo(5);
    }

    @Test
    void shouldStayInDebtAfterAnOverdraftUntilRefillsPayItBack() {
        TokenBucket bucket = new TokenBucket(10, 100, now::get);

        bucket.charge(250);
        assertThat(bucket.hasTokens()).isFalse();
        assertThat(bucket.secondsUntil(1)).isEqualTo(16);

        advanceSeconds(15);
        assertThat(bucket.hasTokens()).isFalse();
        advanceSeconds(1.1);
        assertThat(bucket.hasTokens()).isTrue();
    }
}
