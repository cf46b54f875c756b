package dev.batchmesh.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.aggregator.support.AggregatorInstance;
import dev.batchmesh.aggregator.support.PartialsFixture;
import dev.batchmesh.aggregator.support.QueryAnswers;
import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import dev.batchmesh.core.partial.WindowPartial;
import dev.batchmesh.core.series.SeriesKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two aggregator replicas of one Kafka Streams application (two Spring contexts in this JVM, own
 * ports and state directories): each owns some partitions, yet every query gives the whole answer
 * through either one, by forwarding a key's query to its owner or gathering every replica's part.
 */
@EmbeddedKafka(partitions = 6, topics = "partials", brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "offsets.topic.replication.factor=1",
        "group.initial.rebalance.delay.ms=0"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AggregatorReplicasIntegrationTest {

    private static final long WINDOW = PartialsFixture.WINDOW;
    private static final int WINDOWS = 12;

    private String bootstrap;
    private AggregatorInstance first;
    private AggregatorInstance second;
    private PartialsFixture fixture;
    private long from;
    private long to;

    @BeforeAll
    void startReplicasAndProduce(@TempDir Path stateRoot) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        bootstrap = broker.getBrokersAsString();
        first = AggregatorInstance.start(bootstrap, stateRoot.resolve("first"));
        second = AggregatorInstance.start(bootstrap, stateRoot.resolve("second"));
        await().atMost(Duration.ofSeconds(120)).until(() -> bothRunning() && first.streams().storeHosts().size() == 2
                && second.streams().storeHosts().size() == 2);

        from = Math.floorDiv(System.currentTimeMillis(), WINDOW) * WINDOW - Duration.ofMinutes(20).toMillis();
        to = from + WINDOWS * WINDOW;
        List<SeriesKey> series = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            series.add(new SeriesKey("acme", "latency", "host-" + i));
        }
        series.add(new SeriesKey("globex", "latency", "host-0"));
        fixture = PartialsFixture.generate(11, from, WINDOWS, series);
        fixture.produceTo(bootstrap);
        long total = fixture.streamValues("acme", "latency", from, to).length;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> summary(first, "acme").count() == total);
    }

    private boolean bothRunning() {
        return first.streams().state() == KafkaStreams.State.RUNNING
                && second.streams().state() == KafkaStreams.State.RUNNING;
    }

    @AfterAll
    void stopReplicas() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void shouldAnswerEveryKeyThroughEitherReplica() {
        Set<HostInfo> owners = new HashSet<>();
        for (SeriesKey s : fixture.series()) {
            owners.add(first.streams().ownerOf(s.toBytes()).activeHost());
            for (AggregatorInstance replica : List.of(first, second)) {
                for (long step : new long[] {WINDOW, 4 * WINDOW}) {
                    QueryAnswers.Aggregates answer = AggregatorServiceIntegrationTest.get(replica, s.tenant(),
                            "/v1/streams/latency/aggregates?key=" + s.key() + "&from=" + from + "&to=" + to + "&step="
                                    + Duration.ofMillis(step), QueryAnswers.Aggregates.class);
                    Map<Long, double[]> expected = fixture.buckets(s, from, to, step);
                    assertThat(answer.windows()).hasSize(expected.size());
                    int i = 0;
                    for (Map.Entry<Long, double[]> bucket : expected.entrySet()) {
                        PartialsFixture.assertWindow(answer.windows().get(i++), bucket.getKey(), bucket.getKey() + step,
                                bucket.getValue());
                    }
                }
            }
        }
        // both replicas own keys, so half of the answers above were forwarded
        assertThat(owners).containsExactlyInAnyOrder(first.streams().self(), second.streams().self());
    }

    @Test
    void shouldGatherKeysAndSummaryOfEveryReplicaThroughEither() {
        for (AggregatorInstance replica : List.of(first, second)) {
            for (String tenant : List.of("acme", "globex")) {
                QueryAnswers.Keys keys = AggregatorServiceIntegrationTest.get(replica, tenant,
                        "/v1/streams/latency/keys?from=" + from + "&to=" + to, QueryAnswers.Keys.class);
                assertThat(keys.keys()).containsExactlyElementsOf(fixture.keys(tenant, "latency", from, to));
                PartialsFixture.assertWindow(summary(replica, tenant).asWindow(), from, to,
                        fixture.streamValues(tenant, "latency", from, to));
            }
        }
    }

    @Test
    void shouldStreamLiveWindowUpdatesThroughTheOwnerAndTheOtherReplica() {
        SeriesKey watched = new SeriesKey("acme", "live", "sensor-1");
        SeriesKey other = new SeriesKey("acme", "live", "sensor-2");
        Queue<ServerSentEvent<String>> viaFirst = new ConcurrentLinkedQueue<>();
        Queue<ServerSentEvent<String>> viaSecond = new ConcurrentLinkedQueue<>();
        Disposable firstSubscription = subscribeLive(first, watched, viaFirst);
        Disposable secondSubscription = subscribeLive(second, watched, viaSecond);
        try {
            // the first heartbeat comes after the owner subscribed to its window updates
            await().atMost(Duration.ofSeconds(20)).until(() -> hasHeartbeat(viaFirst) && hasHeartbeat(viaSecond));

            long window = Math.floorDiv(System.currentTimeMillis(), WINDOW) * WINDOW;
            PartialsFixture.produce(bootstrap, List.of(
                    partial(other, window, 7.0, 8.0, 9.0),
                    partial(watched, window, 2.0, 4.0)));

            await().atMost(Duration.ofSeconds(30)).until(() -> hasWindow(viaFirst) && hasWindow(viaSecond));
            JsonMapper json = JsonMapper.builder().build();
            for (Queue<ServerSentEvent<String>> events : List.of(viaFirst, viaSecond)) {
                List<QueryAnswers.Window> windows = events.stream()
                        .filter(e -> "window".equals(e.event()))
                        .map(e -> json.readValue(e.data(), QueryAnswers.Window.class))
                        .toList();
                assertThat(windows).hasSize(1);
                PartialsFixture.assertWindow(windows.getFirst(), window, window + WINDOW, new double[] {2.0, 4.0});
            }
        } finally {
            firstSubscription.dispose();
            secondSubscription.dispose();
        }
    }

    private static Disposable subscribeLive(AggregatorInstance replica, SeriesKey series,
                                            Queue<ServerSentEvent<String>> sink) {
        return WebClient.create(replica.baseUrl()).get()
                .uri("/v1/streams/{stream}/aggregates/live?key={key}", series.stream(), series.key())
                .header(TenantHeader.NAME, series.tenant())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .subscribe(sink::add);
    }

    private static boolean hasHeartbeat(Queue<ServerSentEvent<String>> events) {
        return events.stream().anyMatch(e -> e.comment() != null);
    }

    private static boolean hasWindow(Queue<ServerSentEvent<String>> events) {
        return events.stream().anyMatch(e -> "window".equals(e.event()));
    }

    private static ProducerRecord<byte[], byte[]> partial(SeriesKey series, long window, double... values) {
        return new ProducerRecord<>("partials", series.toBytes(), SeriesPartialsCodec.encodeValue(new SeriesPartials(
                series, WINDOW, System.currentTimeMillis(), List.of(new WindowPartial(window,
                PartialAggregate.of(PartialAggregate.DEFAULT_SKETCH_K, values))))));
    }

    private QueryAnswers.Summary summary(AggregatorInstance replica, String tenant) {
        return AggregatorServiceIntegrationTest.get(replica, tenant, "/v1/streams/latency/summary?from=" + from + "&to=" + to,
                QueryAnswers.Summary.class);
    }
}
