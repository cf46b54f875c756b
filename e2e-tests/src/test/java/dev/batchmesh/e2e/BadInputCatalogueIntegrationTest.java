package dev.batchmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.e2e.support.GatewayClient;
import dev.batchmesh.e2e.support.PipelineCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Bad input through the gateway, as a client can send it: every case gets its documented status
 * and problem type (validated against docs/openapi.yaml), never a 5xx, and adds nothing to the
 * stream. A seeded fuzz run then sends thousands of random and mutated bodies: no 5xx, and the
 * stream holds exactly the records the 202 answers accepted (no partial ingest).
 */
class BadInputCatalogueIntegrationTest extends AbstractRestartableBrokerTest {

    private static final String STREAM = "bad.input";
    private static final String FUZZ_STREAM = "fuzz.input";
    private static final String TEMPLATE = "/v1/streams/{stream}/records";
    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    private static final String MALFORMED = "urn:batchmesh:problem:malformed-body";
    private static final String INVALID_RECORDS = "urn:batchmesh:problem:invalid-records";
    private static final String INVALID_PARAMETER = "urn:batchmesh:problem:invalid-parameter";
    private static final String TOO_LARGE = "urn:batchmesh:problem:payload-too-large";
    private static final String UNSUPPORTED = "urn:batchmesh:problem:unsupported-media-type";
    private static final String NOT_FOUND = "urn:batchmesh:problem:not-found";
    private static final int FUZZ_REQUESTS = 3_000;
    private static final long FUZZ_SEED = Long.getLong("batchmesh.fuzz.seed", 7_340_021L);

    private static final long NOW = System.currentTimeMillis();
    private static final int BASELINE = 3;

    /** One bad request and what the API documents for it. */
    record Case(String name, String path, String contentType, byte[] body, boolean chunked, int status, String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> catalogue() {
        String ok = "{\"key\":\"k\",\"value\":1.5,\"ts\":" + NOW + "}";
        String records = "/v1/streams/" + STREAM + "/records";
        List<Case> cases = new ArrayList<>();
        // malformed bodies
        cases.add(json("truncated JSON", "[" + ok + ",{\"key\":\"k\",", 400, MALFORMED));
        cases.add(json("JSON object instead of an array", ok, 400, MALFORMED));
        cases.add(json("content after the array", "[" + ok + "] []", 400, MALFORMED));
        cases.add(json("raw tab inside a key", "[{\"key\":\"a\tb\",\"value\":1}]", 400, MALFORMED));
        cases.add(json("single-quoted JSON", "[{'key':'k','value':1}]", 400, MALFORMED));
        cases.add(ndjson("truncated NDJSON", ok + "\n{\"key\":", 400, MALFORMED));
        cases.add(ndjson("two records on one NDJSON line", ok + " " + ok + "\n", 400, MALFORMED));
        cases.add(ndjson("an NDJSON record over two lines", "{\"key\":\"k\",\n\"value\":1}\n", 400, MALFORMED));
        cases.add(new Case("invalid UTF-8 in a key", records, JSON,
                concat("[{\"key\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28},
                        "\",\"value\":1}]".getBytes(StandardCharsets.UTF_8)), false, 400, MALFORMED));
        // wrong types and values
        cases.add(json("value as a string", "[{\"key\":\"k\",\"value\":\"1\"}]", 400, INVALID_RECORDS));
        cases.add(json("value null", "[{\"key\":\"k\",\"value\":null}]", 400, INVALID_RECORDS));
        cases.add(json("value boolean", "[{\"key\":\"k\",\"value\":true}]", 400, INVALID_RECORDS));
        cases.add(json("key as a number", "[{\"key\":5,\"value\":1}]", 400, INVALID_RECORDS));
        cases.add(json("ts boolean", "[{\"key\":\"k\",\"value\":1,\"ts\":true}]", 400, INVALID_RECORDS));
        cases.add(json("ts not RFC 3339", "[{\"key\":\"k\",\"value\":1,\"ts\":\"yesterday\"}]", 400, INVALID_RECORDS));
        cases.add(json("ts beyond a long", "[{\"key\":\"k\",\"value\":1,\"ts\":99999999999999999999999}]", 400, INVALID_RECORDS));
        cases.add(json("record as a number", "[" + ok + ",42]", 400, INVALID_RECORDS));
        cases.add(json("record as an array", "[[\"k\",1]]", 400, INVALID_RECORDS));
        cases.add(json("NaN", "[{\"key\":\"k\",\"value\":NaN}]", 400, INVALID_RECORDS));
        cases.add(json("Infinity", "[{\"key\":\"k\",\"value\":Infinity}]", 400, INVALID_RECORDS));
        cases.add(json("-Infinity", "[{\"key\":\"k\",\"value\":-Infinity}]", 400, INVALID_RECORDS));
        cases.add(json("1e400", "[{\"key\":\"k\",\"value\":1e400}]", 400, INVALID_RECORDS));
        cases.add(ndjson("NaN in NDJSON after a valid line", ok + "\n{\"key\":\"k\",\"value\":NaN}\n", 400, INVALID_RECORDS));
        cases.add(json("duplicate value field", "[{\"key\":\"k\",\"value\":1,\"value\":2}]", 400, INVALID_RECORDS));
        cases.add(json("duplicate key field", "[{\"key\":\"k\",\"key\":\"j\",\"value\":1}]", 400, INVALID_RECORDS));
        cases.add(json("unknown field", "[{\"key\":\"k\",\"value\":1,\"unit\":\"ms\"}]", 400, INVALID_RECORDS));
        // keys
        cases.add(json("missing key", "[{\"value\":1}]", 400, INVALID_RECORDS));
        cases.add(json("missing value", "[{\"key\":\"k\"}]", 400, INVALID_RECORDS));
        cases.add(json("empty key", "[{\"key\":\"\",\"value\":1}]", 400, INVALID_RECORDS));
        cases.add(json("key of 257 ASCII bytes", "[{\"key\":\"" + "a".repeat(257) + "\",\"value\":1}]", 400, INVALID_RECORDS));
        cases.add(json("key of 258 UTF-8 bytes in 86 characters", "[{\"key\":\"" + "€".repeat(86) + "\",\"value\":1}]", 400, INVALID_RECORDS));
        cases.add(json("escaped control character in a key", "[{\"key\":\"bell\\u0007\",\"value\":1}]", 400, INVALID_RECORDS));
        cases.add(json("escaped NUL in a key", "[{\"key\":\"\\u0000\",\"value\":1}]", 400, INVALID_RECORDS));
        cases.add(json("unpaired surrogate in a key", "[{\"key\":\"\\ud800x\",\"value\":1}]", 400, INVALID_RECORDS));
        // timestamps
        cases.add(json("ts five minutes in the future", "[{\"key\":\"k\",\"value\":1,\"ts\":" + (NOW + 300_000) + "}]", 400, INVALID_RECORDS));
        cases.add(json("ts older than the grace period", "[{\"key\":\"k\",\"value\":1,\"ts\":\"" + Instant.ofEpochMilli(NOW - 900_000) + "\"}]",
                400, INVALID_RECORDS));
        // empty
        cases.add(json("empty body", "", 400, INVALID_RECORDS));
        cases.add(json("empty array", "[]", 400, INVALID_RECORDS));
        cases.add(ndjson("only blank NDJSON lines", "\n\n", 400, INVALID_RECORDS));
        // sizes
        cases.add(json("10,001 records", manyRecords(10_001), 413, TOO_LARGE));
        byte[] huge = ("[" + " ".repeat(5 * 1024 * 1024) + "]").getBytes(StandardCharsets.US_ASCII);
        cases.add(new Case("5 MiB body with Content-Length", records, JSON, huge, false, 413, TOO_LARGE));
        cases.add(new Case("5 MiB body chunked, no Content-Length", records, JSON, huge, true, 413, TOO_LARGE));
        // content types
        cases.add(new Case("text/plain", records, "text/plain", bytes("[" + ok + "]"), false, 415, UNSUPPORTED));
        cases.add(new Case("no content type", records, null, bytes("[" + ok + "]"), false, 415, UNSUPPORTED));
        cases.add(new Case("JSON in ISO-8859-1", records, JSON + "; charset=ISO-8859-1", bytes("[" + ok + "]"), false, 415, UNSUPPORTED));
        cases.add(new Case("JSON in an unknown charset", records, JSON + "; charset=klingon", bytes("[" + ok + "]"), false, 415, UNSUPPORTED));
        cases.add(new Case("unparsable content type", records, "json", bytes("[" + ok + "]"), false, 415, UNSUPPORTED));
        // stream names
        cases.add(new Case("stream of 65 characters", "/v1/streams/" + "s".repeat(65) + "/records", JSON, bytes("[" + ok + "]"),
                false, 400, INVALID_PARAMETER));
        cases.add(new Case("stream with a space", "/v1/streams/bad%20stream/records", JSON, bytes("[" + ok + "]"), false, 400, INVALID_PARAMETER));
        cases.add(new Case("stream with an encoded slash", "/v1/streams/bad%2Fstream/records", JSON, bytes("[" + ok + "]"),
                false, 400, INVALID_PARAMETER));
        cases.add(new Case("'..' segment after the stream", "/v1/streams/" + STREAM + "/../records", JSON, bytes("[" + ok + "]"),
                false, 404, NOT_FOUND));
        return cases.stream();
    }

    @BeforeAll
    void sendBaseline() throws Exception {
        // a known count to compare against: every bad request must leave it unchanged
        GatewayClient.Answer answer = client.ingest(PipelineCluster.DEV_KEY, STREAM, JSON,
                "[{\"key\":\"k\",\"value\":1,\"ts\":" + NOW + "},{\"key\":\"k\",\"value\":2,\"ts\":" + NOW + "},{\"key\":\"j\",\"value\":3}]");
        assertThat(answer.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(streamCount()).isEqualTo(BASELINE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void shouldAnswerBadInputWithItsDocumentedProblemAndAddNothing(Case c) throws Exception {
        HttpResponse<String> response = send(c.path(), c.contentType(), c.body(), c.chunked());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = response.body().isEmpty() ? null : GatewayClient.JSON.readTree(response.body());

        assertThat(response.statusCode()).as("%s: %s", c.name(), response.body()).isLessThan(500).isEqualTo(c.status());
        assertThat(contentType).as(c.name()).startsWith("application/problem+json");
        assertThat(body.path("type").asString()).as("%s: %s", c.name(), body).isEqualTo(c.type());
        assertThat(body.path("detail").asString()).as(c.name()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        if (c.status() != 404) {
            contract.assertConforms("post", TEMPLATE, response.statusCode(), contentType, body);
        }
        if (c.type().equals(INVALID_RECORDS) && !c.name().startsWith("empty") && !c.name().startsWith("only blank")) {
            assertThat(body.path("errors").isArray()).as("%s lists the bad records", c.name()).isTrue();
        }
    }

    @Test
    void shouldLeaveTheStreamUnchangedAfterEveryBadRequest() throws Exception {
        for (Case c : catalogue().toList()) {
            send(c.path(), c.contentType(), c.body(), c.chunked());
        }
        // a sentinel behind the bad requests: once it is counted, any bad one that got in would be too
        assertThat(client.ingest(PipelineCluster.DEV_KEY, STREAM, JSON, "[{\"key\":\"sentinel\",\"value\":1}]").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(streamCount()).isEqualTo(BASELINE + 1));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(streamCount()).isEqualTo(BASELINE + 1));
    }

    /** {@code ..} fits the character set of stream names, but names made only of dots are refused. */
    @Test
    void shouldRefuseAStreamNamedOnlyWithDotsSoItCanNeverActAsAPathSegment() throws Exception {
        HttpResponse<String> response = send("/v1/streams/../records", JSON, bytes("[{\"key\":\"dots\",\"value\":1}]"), false);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = GatewayClient.JSON.readTree(response.body());
        contract.assertConforms("post", TEMPLATE, response.statusCode(), contentType, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(body.path("type").asString()).isEqualTo(INVALID_PARAMETER);
    }

    @Test
    void shouldNeverFailOrHalfIngestFuzzedBodies() throws Exception {
        SplittableRandom seeds = new SplittableRandom(FUZZ_SEED);
        AtomicLong acceptedRecords = new AtomicLong();
        AtomicInteger acceptedRequests = new AtomicInteger();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> work = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < FUZZ_REQUESTS; i++) {
                long seed = seeds.nextLong();
                work.add(pool.submit(() -> {
                    Fuzzed f = fuzz(new SplittableRandom(seed));
                    try {
                        HttpResponse<String> response = send("/v1/streams/" + FUZZ_STREAM + "/records", f.contentType(), f.body(), false);
                        int status = response.statusCode();
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        String contentType = response.headers().firstValue("Content-Type").orElse("");
                        JsonNode body = response.body().isEmpty() ? null : GatewayClient.JSON.readTree(response.body());
                        contract.assertConforms("post", TEMPLATE, status, contentType, body);
                        if (status >= 500) {
                            failures.add("seed " + seed + ": " + status + " " + response.body() + " for "
                                    + new String(f.body(), StandardCharsets.UTF_8));
                        } else if (status == 202) {
                            acceptedRequests.incrementAndGet();
                            acceptedRecords.addAndGet(body.path("accepted").asLong());
                        }
                    } catch (AssertionError | Exception e) {
                        failures.add("seed " + seed + ": " + e + " for " + new String(f.body(), StandardCharsets.UTF_8));
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get(10, TimeUnit.MINUTES);
            }
        }
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((s, n) -> counts.put(s, n.get()));
        System.out.printf("Fuzz (seed %d): statuses %s, %d requests accepted with %d records%n", FUZZ_SEED, counts,
                acceptedRequests.get(), acceptedRecords.get());
        assertThat(failures).as("fuzz seed %d (rerun with -Dbatchmesh.fuzz.seed=%d)", FUZZ_SEED, FUZZ_SEED).isEmpty();
        assertThat(acceptedRequests.get()).as("some fuzzed bodies stay valid").isPositive();
        assertThat(counts.keySet().stream().anyMatch(s -> s == 400)).as("some fuzzed bodies are refused").isTrue();

        // a valid request still works, and the stream holds exactly what the 202 answers accepted
        GatewayClient.Answer last = client.ingest(PipelineCluster.DEV_KEY, FUZZ_STREAM, JSON, "[{\"key\":\"after-fuzz\",\"value\":1}]");
        assertThat(last.status()).isEqualTo(202);
        long expected = acceptedRecords.get() + 1;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(summaryCount(FUZZ_STREAM, NOW - 3_600_000, System.currentTimeMillis() + 3_600_000))
                        .as("fuzz seed %d", FUZZ_SEED).isEqualTo(expected));
    }

    private long streamCount() throws Exception {
        return summaryCount(STREAM, NOW - 3_600_000, System.currentTimeMillis() + 3_600_000);
    }

    record Fuzzed(String contentType, byte[] body) {
    }

    private static final String ALPHABET = "{}[],:\"\\ \n\t0123456789eE+-.NaInfityrulsxk\u0000\u0007é€\uD83D\uDE00";

    /** A valid body of 1 to 5 records, then 0 to 4 random mutations of its characters (or raw bytes). */
    static Fuzzed fuzz(SplittableRandom random) {
        boolean ndjson = random.nextBoolean();
        int n = 1 + random.nextInt(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ts = switch (random.nextInt(3)) {
                case 0 -> ",\"ts\":" + (System.currentTimeMillis() - random.nextLong(60_000));
                case 1 -> ",\"ts\":\"" + Instant.ofEpochMilli(System.currentTimeMillis() - random.nextLong(60_000)) + "\"";
                default -> "";
            };
            String value = random.nextBoolean() ? Integer.toString(random.nextInt(1000)) : Double.toString(random.nextDouble() * 1e6);
            lines.add("{\"key\":\"fz-" + random.nextInt(20) + "\",\"value\":" + value + ts + "}");
        }
        StringBuilder text = new StringBuilder(ndjson ? String.join("\n", lines) + "\n" : "[" + String.join(",", lines) + "]");
        int mutations = random.nextInt(5);
        for (int m = 0; m < mutations && !text.isEmpty(); m++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(5)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 3 -> text.insert(at, text.substring(at, Math.min(text.length(), at + random.nextInt(30))));
                default -> text.setLength(at);
            }
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(20) == 0 && body.length > 0) {
            body[random.nextInt(body.length)] = (byte) (0x80 + random.nextInt(0x80));
        }
        String contentType = switch (random.nextInt(12)) {
            case 0 -> ndjson ? JSON : NDJSON;
            case 1 -> "text/plain";
            default -> ndjson ? NDJSON : JSON + (random.nextBoolean() ? "; charset=UTF-8" : "");
        };
        return new Fuzzed(contentType, body);
    }

    private HttpResponse<String> send(String rawPath, String contentType, byte[] body, boolean chunked) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.gateway() + rawPath))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + PipelineCluster.DEV_KEY)
                .POST(publisher);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Case json(String name, String body, int status, String type) {
        return new Case(name, "/v1/streams/" + STREAM + "/records", JSON, bytes(body), false, status, type);
    }

    private static Case ndjson(String name, String body, int status, String type) {
        return new Case(name, "/v1/streams/" + STREAM + "/records", NDJSON, bytes(body), false, status, type);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String manyRecords(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"key\":\"k\",\"value\":").append(i).append('}');
        }
        return sb.append(']').toString();
    }
}
