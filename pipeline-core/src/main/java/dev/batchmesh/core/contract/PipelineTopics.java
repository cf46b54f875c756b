package dev.batchmesh.core.contract;

/** Default topic names and the message headers every stage agrees on. Topic names are configurable per service. */
public final class PipelineTopics {

    public static final String MICROBATCHES = "microbatches";
    public static final String PARTIALS = "partials";

    /** Header carrying the micro-batch format version as one byte, readable without decoding the value. */
    public static final String FORMAT_VERSION_HEADER = "batchmesh-format";
    /** Header carrying the micro-batch id (16 bytes), for logs and tracing. */
    public static final String BATCH_ID_HEADER = "batchmesh-batch-id";

    private PipelineTopics() {
    }
}
