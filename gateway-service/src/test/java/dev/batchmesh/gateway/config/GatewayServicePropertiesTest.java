package dev.batchmesh.gateway.config;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayServicePropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(GatewayServiceConfiguration.class);

    @Test
    void shouldBindKeysBackendsAndDefaults() {
        runner.withPropertyValues(
                        "gateway.api-keys[0].name=k1", "gateway.api-keys[0].sha256=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "gateway.api-keys[0].tenant=team-a",
                        "gateway.api-keys[1].name=k2", "gateway.api-keys[1].sha256=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "gateway.api-keys[1].tenant=team.b",
                        "gateway.backends.batcher-uri=http://batcher-service:8080")
                .run(context -> {
                    GatewayServiceProperties properties = context.getBean(GatewayServiceProperties.class);
                    assertThat(properties.apiKeys()).extracting(GatewayServiceProperties.ApiKey::tenant).containsExactly("team-a", "team.b");
                    assertThat(properties.backends().batcherUri()).isEqualTo(URI.create("http://batcher-service:8080"));
                    assertThat(properties.backends().aggregatorUri()).isEqualTo(URI.create("http://localhost:8083"));
                    assertThat(properties.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                });
    }

    @Test
    void shouldReadAnEmptyOriginListAsNoCrossOriginAccess() {
        runner.withPropertyValues("gateway.api-keys[0].name=k", "gateway.api-keys[0].sha256=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "gateway.api-keys[0].tenant=t",
                        "gateway.backends.batcher-uri=http://b:8080", "gateway.cors.allowed-origins=")
                .run(context -> assertThat(context.getBean(GatewayServiceProperties.class).cors().allowedOrigins()).isEmpty());
    }

    @Test
    void shouldRefuseToStartWithoutKeys() {
        runner.run(context -> assertThat(context).hasFailed());
    }

    @Test
    void shouldRefuseDuplicateKeys() {
        runner.withPropertyValues(
                        "gateway.api-keys[0].name=a", "gateway.api-keys[0].sha256=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "gateway.api-keys[0].tenant=a",
                        "gateway.api-keys[1].name=b", "gateway.api-keys[1].sha256=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "gateway.api-keys[1].tenant=b")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("same key twice"));
    }

    @Test
    void shouldRefuseInvalidTenantsAndDigestsThatAreNotSha256() {
        runner.withPropertyValues("gateway.api-keys[0].name=k", "gateway.api-keys[0].sha256=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "gateway.api-keys[0].tenant=no/slashes")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("tenant must match"));
        // a key pasted in clear where its digest belongs is refused, not silently never matched
        runner.withPropertyValues("gateway.api-keys[0].name=k", "gateway.api-keys[0].sha256=dev-key", "gateway.api-keys[0].tenant=dev")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("64 hex digits"));
    }
}
