package dev.batchmesh.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The four services as separate processes against one Kafka broker, wired the way the local run
 * and the deployments wire them: the gateway in front, batcher and aggregator behind it.
 */
public final class PipelineCluster implements AutoCloseable {

    public static final String DEV_KEY = "dev-key";
    public static final String DEV2_KEY = "dev-key-2";
    public static final int PARTITIONS = 6;

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    public PipelineCluster(String bootstrapServers, Path workDir, Path logDir) {
        this(bootstrapServers, workDir, logDir, 1, Map.of());
    }

    /**
     * @param processors processor replicas to run: one consumer group, own ports, named
     *                   {@code processor-service}, {@code processor-service-2}, ...
     * @param overrides  extra environment for every service, e.g. {@code BATCHER_PUBLISH_TIMEOUT}
     */
    public PipelineCluster(String bootstrapServers, Path workDir, Path logDir, int processors, Map<String, String> overrides) {
        Map<String, String> common = new LinkedHashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "PIPELINE_WINDOW_SIZE", "PT10S",
                "PIPELINE_GRACE", "PT5M",
                "PIPELINE_RETENTION", "PT24H"));
        common.putAll(overrides);
        ServiceProcess batcher = new ServiceProcess("batcher-service", common, List.of(), logDir);
        services.put(batcher.name(), batcher);
        for (int i = 1; i <= processors; i++) {
            String name = i == 1 ? "processor-service" : "processor-service-" + i;
            Map<String, String> env = new LinkedHashMap<>(common);
            // a stable, distinct instance per replica, as a pod name gives it
            env.put("POD_NAME", name);
            ServiceProcess processor = new ServiceProcess(name, "processor-service", env, List.of(), logDir);
            services.put(processor.name(), processor);
        }
        ServiceProcess aggregator = new ServiceProcess("aggregator-service", common,
                List.of("--aggregator.state-dir=" + workDir.resolve("aggregator-state")), logDir);
        services.put(aggregator.name(), aggregator);
        Map<String, String> gatewayEnv = new LinkedHashMap<>(common);
        gatewayEnv.put("BATCHER_URI", batcher.baseUri().toString());
        gatewayEnv.put("AGGREGATOR_URI", aggregator.baseUri().toString());
        ServiceProcess gateway = new ServiceProcess("gateway-service", gatewayEnv, List.of(), logDir);
        services.put(gateway.name(), gateway);
    }

    public static void createTopics(String bootstrapServers) throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            for (NewTopic topic : List.of(new NewTopic("microbatches", PARTITIONS, (short) 1),
                    new NewTopic("partials", PARTITIONS, (short) 1), new NewTopic("microbatches-dlt", 1, (short) 1))) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    public void start() throws IOException, InterruptedException {
        for (ServiceProcess s : services.values()) {
            s.start();
        }
        for (ServiceProcess s : services.values()) {
            s.awaitReady(Duration.ofSeconds(180));
        }
    }

    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + " in " + services.keySet());
        }
        return service;
    }

    /** Graceful restart of one service on the same ports (and, for the aggregator, the same state directory). */
    public void restart(String name) throws IOException, InterruptedException {
        ServiceProcess service = service(name);
        service.stop();
        service.start();
        service.awaitReady(Duration.ofSeconds(180));
    }

    /** Crash (SIGKILL) and start again on the same ports and state directory. */
    public void killAndRestart(String name) throws IOException, InterruptedException {
        ServiceProcess service = service(name);
        service.kill();
        service.start();
        service.awaitReady(Duration.ofSeconds(180));
    }

    public URI gateway() {
        return services.get("gateway-service").baseUri();
    }

    public String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ServiceProcess s : services.values()) {
            out.append("\n===== ").append(s.name()).append(" (").append(s.log()).append(") =====\n").append(s.logTail(lines));
        }
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        for (ServiceProcess s : reversed) {
            s.stop();
        }
    }
}
