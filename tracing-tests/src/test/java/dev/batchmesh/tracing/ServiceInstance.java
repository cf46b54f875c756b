package dev.batchmesh.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One service as its own Spring application inside the test JVM, configured by its own
 * {@code application.yml} (all four sit at the root of the shared classpath, so each is picked out
 * of its service's jar) and exporting its spans to its own in-memory exporter.
 */
final class ServiceInstance implements AutoCloseable {

    private final String name;
    private final int port;
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private ConfigurableApplicationContext context;

    private ServiceInstance(String name, int port) {
        this.name = name;
        this.port = port;
    }

    static ServiceInstance start(String name, Class<?> application, Path workDir, String... arguments) {
        ServiceInstance instance = new ServiceInstance(name, freePort());
        List<String> args = new ArrayList<>(List.of(
                "--spring.config.location=file:" + ownConfig(application, workDir.resolve(name + ".yml")),
                "--server.port=" + instance.port,
                "--management.server.port=" + freePort(),
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(arguments));
        instance.context = new SpringApplicationBuilder(application)
                // Boot's tracing auto-configuration exports through every SpanExporter bean.
                .initializers(context -> context.getBeanFactory().registerSingleton("inMemorySpanExporter", instance.spans))
                .run(args.toArray(String[]::new));
        return instance;
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    List<SpanData> finishedSpans() {
        return spans.getFinishedSpanItems();
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
    }

    private static Path ownConfig(Class<?> application, Path target) {
        String home = application.getProtectionDomain().getCodeSource().getLocation().toString();
        try {
            for (URL url : Collections.list(application.getClassLoader().getResources("application.yml"))) {
                String location = url.toString();
                if (location.startsWith(home) || location.startsWith("jar:" + home)) {
                    try (InputStream in = url.openStream()) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return target;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no application.yml next to " + application.getName() + " in " + home);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
