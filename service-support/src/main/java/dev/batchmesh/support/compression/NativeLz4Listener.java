package dev.batchmesh.support.compression;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Loads lz4-java's native library as a service starts, before any Kafka client exists
 * ({@link NativeLz4}), unless {@code batchmesh.kafka.native-lz4} is {@code false}. Runs once the
 * environment is prepared, after logging is set up, so it can say which implementation is in use.
 * Registered in {@code META-INF/spring.factories}: it must run before the application context.
 */
public class NativeLz4Listener implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    static final String PROPERTY = "batchmesh.kafka.native-lz4";
    private static final Logger log = LoggerFactory.getLogger(NativeLz4Listener.class);

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (!event.getEnvironment().getProperty(PROPERTY, Boolean.class, true)) {
            log.info("Kafka's LZ4 compression uses lz4-java's {} implementation ({} is false)",
                    NativeLz4.implementation(), PROPERTY);
            return;
        }
        String implementation = NativeLz4.load();
        if ("JNI".equals(implementation)) {
            log.info("Kafka's LZ4 compression uses lz4-java's native (JNI) implementation");
        } else {
            log.warn("lz4-java's native library did not load on this platform: Kafka's LZ4 compression uses its {} "
                    + "implementation, which costs more CPU", implementation);
        }
    }

    @Override
    public int getOrder() {
        // after LoggingApplicationListener, which sets up logging on the same event
        return Ordered.LOWEST_PRECEDENCE;
    }
}
