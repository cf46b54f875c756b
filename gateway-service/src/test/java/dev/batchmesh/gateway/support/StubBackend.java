package dev.batchmesh.gateway.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real HTTP server on a random loopback port standing in for batcher or aggregator: it records
 * every request it receives and answers in the shape the real service would.
 * <ul>
 *   <li>{@code .../aggregates/live}: an SSE stream of the events given to {@link #streamLiveEvents};</li>
 *   <li>stream {@code rejected}: a 400 problem document ({@link #REJECTION});</li>
 *   <li>anything else: 200 (202 for POST) with {@code {"backend":"<name>"}}.</li>
 * </ul>
 */
public final class StubBackend implements AutoCloseable {

    public static final String REJECTION = """
            {"type":"urn:batchmesh:problem:invalid-records","title":"Bad Request","status":400,\
            "detail":"1 record is invalid","instance":"/v1/streams/rejected/records",\
            "errors":[{"index":0,"reason":"key is empty"}]}""";

    public record ReceivedRequest(String method, String uri, HttpHeaders headers, String body) {
    }

    private final String name;
    private final BlockingQueue<ReceivedRequest> received = new LinkedBlockingQueue<>();
    private final AtomicReference<Flux<String>> liveEvents = new AtomicReference<>(Flux.empty());
    private volatile boolean hanging;
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    private final DisposableServer server;

    private StubBackend(String name) {
        this.name = name;
        this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::answer).bindNow(Duration.ofSeconds(10));
    }

    public static StubBackend start(String name) {
        return new StubBackend(name);
    }

    public String uri() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The next live request streams these JSON documents as {@code window} events. */
    public void streamLiveEvents(Flux<String> windows) {
        liveEvents.set(windows);
    }

    /** The next {@code n} requests are answered 503, like a backend that is restoring. */
    public void failNext(int n) {
        failures.set(n);
    }

    /** While true, requests are received but never answered, like a backend stuck on a dependency. */
    public void hang(boolean hang) {
        this.hanging = hang;
    }

    /** The next request this backend received, waiting at most five seconds. */
    public ReceivedRequest takeRequest() throws InterruptedException {
        ReceivedRequest request = received.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError(name + " received no request within 5 s");
        }
        return request;
    }

    public List<ReceivedRequest> drain() {
        List<ReceivedRequest> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            HttpHeaders headers = new HttpHeaders();
            for (Map.Entry<String, String> header : request.requestHeaders()) {
                headers.add(header.getKey(), header.getValue());
            }
            received.add(new ReceivedRequest(request.method().name(), request.uri(), headers, body));
            if (hanging) {
                return Mono.never();
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                        .header("Content-Type", "application/problem+json")
                        .sendString(Mono.just("{\"type\":\"urn:batchmesh:problem:unavailable\",\"title\":\"Service Unavailable\","
                                + "\"status\":503,\"detail\":\"restoring\"}")).then();
            }
            if (request.fullPath().endsWith("/aggregates/live")) {
                Flux<String> events = liveEvents.getAndSet(Flux.empty())
                        .map(window -> "event: window\ndata: " + window + "\n\n");
                return response.header("Content-Type", "text/event-stream").sendString(events).then();
            }
            if (request.fullPath().startsWith("/v1/streams/rejected/")) {
                return response.status(HttpResponseStatus.BAD_REQUEST)
                        .header("Content-Type", "application/problem+json")
                        .sendString(Mono.just(REJECTION)).then();
            }
            HttpResponseStatus status = "POST".equals(request.method().name()) ? HttpResponseStatus.ACCEPTED : HttpResponseStatus.OK;
            return response.status(status)
                    .header("Content-Type", "application/json")
                    .sendString(Mono.just("{\"backend\":\"" + name + "\"}")).then();
        });
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
