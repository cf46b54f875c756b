package dev.batchmesh.batcher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BatcherServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(BatcherServiceApplication.class, args);
    }
}
