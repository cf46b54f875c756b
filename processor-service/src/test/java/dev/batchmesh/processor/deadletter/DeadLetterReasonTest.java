package dev.batchmesh.processor.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.codec.UnsupportedFormatVersionException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

class DeadLetterReasonTest {

    @Test
    void shouldClassifyByTheCauseTheListenerContainerWrapped() {
        assertThat(DeadLetterReason.of(new ListenerExecutionFailedException("x",
                new UnsupportedFormatVersionException("micro-batch", 2)))).isEqualTo(DeadLetterReason.UNSUPPORTED_VERSION);
        assertThat(DeadLetterReason.of(new ListenerExecutionFailedException("x",
                new MalformedDataException("truncated")))).isEqualTo(DeadLetterReason.MALFORMED);
        assertThat(DeadLetterReason.of(new ListenerExecutionFailedException("x",
                new IllegalStateException("boom")))).isEqualTo(DeadLetterReason.PROCESSING_FAILED);
    }
}
