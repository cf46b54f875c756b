package dev.batchmesh.support.testing;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Starts one service against a broker, on random ports, and returns once it has started. */
@FunctionalInterface
public interface ServiceStarter {

    /**
     * @param bootstrapServers the broker the service must use
     * @param arguments        command-line arguments ({@code --name=value}) the service must also get
     */
    RunningService start(String bootstrapServers, String... arguments);

    /** The application class run with the {@code test} profile, which puts both ports on 0. */
    static ServiceStarter springBoot(Class<?> application) {
        return (bootstrapServers, arguments) -> {
            List<String> all = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers));
            all.addAll(List.of(arguments));
            return RunningService.of(new SpringApplicationBuilder(application).profiles("test").run(all.toArray(String[]::new)));
        };
    }
}
