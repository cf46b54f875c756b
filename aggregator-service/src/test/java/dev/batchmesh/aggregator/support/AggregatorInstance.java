package dev.batchmesh.aggregator.support;

import static org.awaitility.Awaitility.await;

import dev.batchmesh.aggregator.AggregatorServiceApplication;
import dev.batchmesh.aggregator.merge.AggregatorStreams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** One aggregator process, started as a full Spring Boot application on random ports. */
public final class AggregatorInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;
    private final WebTestClient http;

    private AggregatorInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    public static AggregatorInstance start(String bootstrapServers, Path stateDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--aggregator.state-dir=" + stateDir,
                "--server.port=0",
                "--management.server.port=0"));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AggregatorServiceApplication.class)
                .profiles("test")
                .run(args.toArray(String[]::new));
        return new AggregatorInstance(context);
    }

    public AggregatorInstance awaitRunning() {
        await().atMost(Duration.ofSeconds(90)).until(() -> streams().state() == KafkaStreams.State.RUNNING);
        return this;
    }

    public AggregatorStreams streams() {
        return context.getBean(AggregatorStreams.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The actuator endpoints, on the management port. */
    public WebTestClient management() {
        String port = context.getEnvironment().getProperty("local.management.port");
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    public WebTestClient http() {
        return http;
    }

    @Override
    public void close() {
        context.close();
    }
}
