package dev.batchmesh.gateway.support;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway on a random port in front of two real stub backends, shared by every test class of
 * this JVM and reset before each test. Subclasses add their own properties.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class GatewayWithStubBackends {

    protected static final StubBackend batcher = StubBackend.start("batcher");
    protected static final StubBackend aggregator = StubBackend.start("aggregator");

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("gateway.backends.batcher-uri", batcher::uri);
        registry.add("gateway.backends.aggregator-uri", aggregator::uri);
    }

    @LocalServerPort
    protected int port;

    @LocalManagementPort
    protected int managementPort;

    protected WebTestClient client;
    protected WebTestClient management;

    @BeforeEach
    void resetBackendsAndClients() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10)).build();
        management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
        for (StubBackend backend : new StubBackend[] {batcher, aggregator}) {
            backend.hang(false);
            backend.failNext(0);
            backend.drain();
        }
    }
}
