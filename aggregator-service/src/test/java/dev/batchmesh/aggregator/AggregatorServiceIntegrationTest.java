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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The whole aggregator against a KRaft broker: partials of many series, windows and batches are
 * merged exactly once and every query answers what {@code ExactStatistics} computes from the raw
 * values; after a restart on the same state directory the answers are the same.
 */
@EmbeddedKafka(partitions = 6, topics = "partials", brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "offsets.topic.replication.factor=1",
        "group.initial.rebalance.delay.ms=0"})
class AggregatorServiceIntegrationTest {

    private static final long WINDOW = PartialsFixture.WINDOW;
    private static final int WINDOWS = 24;

    @TempDir
    Path stateDir;

    @Test
    void shouldAnswerQueriesFromMergedPartialsAndTheSameAfterRestart() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        long first = Math.floorDiv(System.currentTimeMillis(), WINDOW) * WINDOW - Duration.ofMinutes(30).toMillis();
        long end = first + WINDOWS * WINDOW;
        List<SeriesKey> series = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            series.add(new SeriesKey("acme", "latency", "key-" + i));
        }
        series.add(new SeriesKey("acme", "orders", "eu"));
        series.add(new SeriesKey("globex", "latency", "key-0"));
        series.add(new SeriesKey("globex", "latency", "only-globex"));
        PartialsFixture fixture = PartialsFixture.generate(7, first, WINDOWS, series);

        Map<String, String> answers;
        try (AggregatorInstance app = AggregatorInstance.start(broker.getBrokersAsString(), stateDir).awaitRunning()) {
            fixture.produceTo(broker.getBrokersAsString());
            long total = fixture.streamValues("acme", "latency", first, end).length
                    + fixture.streamValues("globex", "latency", first, end).length;
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    summary(app, "acme", "latency", first, end).count() + summary(app, "globex", "latency", first, end).count()
                            == total);

            answers = checkAllQueries(app, fixture, first, end);
            checkDefaultRangeCoversTheLastHour(app, fixture, first, end);
            checkReadinessAndMetrics(app);
        }

        try (AggregatorInstance restarted = AggregatorInstance.start(broker.getBrokersAsString(), stateDir).awaitRunning()) {
            // answers merged at query time may differ in the last bits of percentiles (KLL compaction
            // is randomised), so they are checked against the exact statistics again; base windows
            // are served as stored and must come back byte for byte
            Map<String, String> again = checkAllQueries(restarted, fixture, first, end);
            assertThat(again).isEqualTo(answers);

            // and partials arriving after the restart merge onto the restored windows
            SeriesKey s = fixture.series().getFirst();
            long window = fixture.buckets(s, first, end, WINDOW).keySet().iterator().next();
            double[] before = fixture.buckets(s, window, window + WINDOW, WINDOW).get(window);
            PartialsFixture.produce(broker.getBrokersAsString(), List.of(new ProducerRecord<>("partials", s.toBytes(),
                    SeriesPartialsCodec.encodeValue(new SeriesPartials(s, WINDOW, System.currentTimeMillis(),
                            List.of(new WindowPartial(window, PartialAggregate.of(200, 1e6))))))));
            double[] after = DoubleStream.concat(Arrays.stream(before), DoubleStream.of(1e6)).toArray();
            String uri = "/v1/streams/latency/aggregates?key=" + s.key() + "&from=" + window + "&to=" + (window + WINDOW);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                QueryAnswers.Aggregates answer = get(restarted, "acme", uri, QueryAnswers.Aggregates.class);
                assertThat(answer.windows()).hasSize(1);
                PartialsFixture.assertWindow(answer.windows().getFirst(), window, window + WINDOW, after);
            });
        }
    }

    private Map<String, String> checkAllQueries(AggregatorInstance app, PartialsFixture fixture, long first, long end) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (SeriesKey s : fixture.series()) {
            for (long step : new long[] {WINDOW, 3 * WINDOW, 6 * WINDOW}) {
                String uri = "/v1/streams/" + s.stream() + "/aggregates?key=" + s.key() + "&from=" + first + "&to=" + end
                        + "&step=" + Duration.ofMillis(step);
                QueryAnswers.Aggregates answer = get(app, s.tenant(), uri, QueryAnswers.Aggregates.class);
                assertWindows(answer, fixture.buckets(s, first, end, step), step);
                assertThat(answer.step()).isEqualTo(Duration.ofMillis(step).toString());
                if (s.tenant().equals("acme") && step == WINDOW) {
                    answers.put(uri, body(app, "acme", uri));
                }
            }
        }
        // a range that starts and ends inside windows, as RFC 3339: a base window counts when its start is in range
        SeriesKey s = fixture.series().getFirst();
        long from = first + 2 * WINDOW + 5_000;
        long to = first + 9 * WINDOW + 1;
        String uri = "/v1/streams/latency/aggregates?key=" + s.key() + "&from=" + Instant.ofEpochMilli(from) + "&to="
                + Instant.ofEpochMilli(to) + "&step=PT20S";
        assertWindows(get(app, "acme", uri, QueryAnswers.Aggregates.class), fixture.buckets(s, from, to, 2 * WINDOW),
                2 * WINDOW);

        for (String tenant : List.of("acme", "globex")) {
            QueryAnswers.Keys keys = get(app, tenant, "/v1/streams/latency/keys?from=" + first + "&to=" + end,
                    QueryAnswers.Keys.class);
            assertThat(keys.keys()).containsExactlyElementsOf(fixture.keys(tenant, "latency", first, end));
            QueryAnswers.Summary summary = summary(app, tenant, "latency", first, end);
            PartialsFixture.assertWindow(summary.asWindow(), first, end, fixture.streamValues(tenant, "latency", first, end));
            assertThat(summary.stream()).isEqualTo("latency");
        }
        QueryAnswers.Keys keys = get(app, "acme", "/v1/streams/latency/keys?from=" + (first + 5 * WINDOW) + "&to="
                + (first + 6 * WINDOW), QueryAnswers.Keys.class);
        assertThat(keys.keys()).containsExactlyElementsOf(fixture.keys("acme", "latency", first + 5 * WINDOW,
                first + 6 * WINDOW));

        QueryAnswers.Summary nothing = summary(app, "initech", "latency", first, end);
        assertThat(nothing.count()).isZero();
        assertThat(nothing.sum()).isZero();
        assertThat(List.of(nullable(nothing.min()), nullable(nothing.max()), nullable(nothing.mean()),
                nullable(nothing.stddev()), nullable(nothing.p50()), nullable(nothing.p99()))).containsOnly("null");
        assertThat(get(app, "initech", "/v1/streams/latency/keys?from=" + first + "&to=" + end, QueryAnswers.Keys.class)
                .keys()).isEmpty();
        answers.put("/v1/streams/latency/keys?from=" + first + "&to=" + end,
                body(app, "acme", "/v1/streams/latency/keys?from=" + first + "&to=" + end));
        return answers;
    }

    private void checkDefaultRangeCoversTheLastHour(AggregatorInstance app, PartialsFixture fixture, long first, long end) {
        SeriesKey s = fixture.series().getFirst();
        QueryAnswers.Aggregates answer = get(app, "acme", "/v1/streams/latency/aggregates?key=" + s.key(),
                QueryAnswers.Aggregates.class);
        assertWindows(answer, fixture.buckets(s, first, end, WINDOW), WINDOW);
        assertThat(answer.step()).isEqualTo("PT10S");
    }

    private void checkReadinessAndMetrics(AggregatorInstance app) {
        app.management().get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        String metrics = app.management().get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("aggregator_partials_merged_total", "aggregator_partials_dropped_total",
                "reason=\"window-mismatch\"", "aggregator_queries_seconds_count", "endpoint=\"aggregates\"",
                "endpoint=\"summary\"", "kafka_stream_");
        app.management().get().uri("/actuator/env").exchange().expectStatus().isNotFound();
    }

    private static void assertWindows(QueryAnswers.Aggregates answer, Map<Long, double[]> expected, long step) {
        assertThat(answer.windows()).hasSize(expected.size());
        int i = 0;
        for (Map.Entry<Long, double[]> bucket : expected.entrySet()) {
            PartialsFixture.assertWindow(answer.windows().get(i++), bucket.getKey(), bucket.getKey() + step,
                    bucket.getValue());
        }
    }

    private static String nullable(Object value) {
        return String.valueOf(value);
    }

    private static QueryAnswers.Summary summary(AggregatorInstance app, String tenant, String stream, long from, long to) {
        return get(app, tenant, "/v1/streams/" + stream + "/summary?from=" + from + "&to=" + to, QueryAnswers.Summary.class);
    }

    static <T> T get(AggregatorInstance app, String tenant, String uri, Class<T> type) {
        return app.http().get().uri(uri).header(TenantHeader.NAME, tenant).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(type).returnResult().getResponseBody();
    }

    static String body(AggregatorInstance app, String tenant, String uri) {
        return app.http().get().uri(uri).header(TenantHeader.NAME, tenant).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
