package dev.batchmesh.processor.processing;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.codec.UnsupportedFormatVersionException;
import dev.batchmesh.core.contract.PipelineTopics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes a {@code microbatches} message, refusing rather than misreading what this build does not
 * understand: the format header is checked before the value is touched, so a canary's newer format
 * is rejected cheaply, and a header that contradicts the value's own version byte counts as corrupt.
 */
final class MicroBatchDecoder {

    private MicroBatchDecoder() {
    }

    static MicroBatch decode(Headers headers, byte[] value) {
        Header header = headers.lastHeader(PipelineTopics.FORMAT_VERSION_HEADER);
        Integer declared = null;
        if (header != null) {
            if (header.value() == null || header.value().length != 1) {
                throw new MalformedDataException(PipelineTopics.FORMAT_VERSION_HEADER + " header must be one byte");
            }
            declared = header.value()[0] & 0xFF;
            if (declared != MicroBatchCodec.CURRENT_VERSION) {
                throw new UnsupportedFormatVersionException("micro-batch", declared);
            }
        }
        if (value == null) {
            throw new MalformedDataException("micro-batch message has no value");
        }
        int version = MicroBatchCodec.versionOf(value);
        if (declared != null && declared != version) {
            throw new MalformedDataException("format header says version " + declared + " but the value is version " + version);
        }
        try {
            return MicroBatchCodec.decode(value);
        } catch (MalformedDataException e) {
            throw e;
        } catch (RuntimeException e) {
            // corrupt bytes must reach the dead-letter topic whatever exception the decoder trips over,
            // otherwise the error handler would retry a message that can never succeed
            throw new MalformedDataException("micro-batch does not decode: " + e, e);
        }
    }
}
