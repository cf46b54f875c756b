package dev.batchmesh.batcher.idempotency;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Claims through an idempotent, non-transactional producer ({@code acks=all}): a claim needs no
 * atomicity with anything, only its place in the partition and no duplicate on retry, which idempotence
 * gives without the coordinator round trips a transaction would add to every keyed request. The
 * read_committed reader still cannot pass an open transaction in the claim's partition, which is what
 * makes a confirmed claim see every COMMITTED written before it.
 */
public final class KafkaClaimWriter implements ClaimWriter, DisposableBean {

    private final ProducerFactory<byte[], byte[]> producers;
    private final String topic;

    public KafkaClaimWriter(ProducerFactory<byte[], byte[]> producers, String topic) {
        this.producers = producers;
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Position> write(byte[] key, byte[] value) {
        CompletableFuture<Position> written = new CompletableFuture<>();
        // The factory hands out one shared producer and replaces it once it has been closed.
        producers.createProducer().send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                written.completeExceptionally(error);
            } else {
                written.complete(new Position(metadata.partition(), metadata.offset()));
            }
        });
        return written;
    }

    @Override
    public void destroy() throws Exception {
        if (producers instanceof DisposableBean disposable) {
            disposable.destroy();
        }
    }
}
