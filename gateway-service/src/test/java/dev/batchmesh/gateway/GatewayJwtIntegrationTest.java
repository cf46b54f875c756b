package dev.batchmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.gateway.support.GatewayWithStubBackends;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** OAuth2 JWT bearer tokens beside API keys: verified against the issuer's JWK set, tenant from a claim. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.auth.jwt.enabled=true",
        "gateway.auth.jwt.issuer=https://issuer.test",
        "gateway.auth.jwt.audience=batchmesh",
        "gateway.auth.jwt.tenant-claim=org"})
class GatewayJwtIntegrationTest extends GatewayWithStubBackends {

    static final RSAKey SIGNING = generate("k1");
    static final RSAKey STRANGER = generate("k1");
    static final DisposableServer JWKS = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> response.header("Content-Type", "application/json")
                    .sendString(Mono.just(new JWKSet(SIGNING.toPublicJWK()).toString())))
            .bindNow();
    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("gateway.auth.jwt.jwk-set-uri", () -> "http://127.0.0.1:" + JWKS.port() + "/jwks");
    }

    @AfterAll
    static void stopJwks() {
        JWKS.disposeNow();
    }

    private static RSAKey generate(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder().issuer("https://issuer.test").audience(List.of("batchmesh")).subject("svc-checkout")
                .claim("org", "team-a").expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static String token(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.apply(validClaims()).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void shouldForwardTheTenantNamedByTheClaimOfAValidToken() throws Exception {
        client.get().uri("/v1/streams/s/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(SIGNING, c -> c))
                .header(TenantHeader.NAME, "someone-else")
                .exchange().expectStatus().isOk();
        assertThat(aggregator.takeRequest().headers().getValuesAsList(TenantHeader.NAME)).containsExactly("team-a");
    }

    @Test
    void shouldKeepAcceptingApiKeysBesideTokens() throws Exception {
        client.get().uri("/v1/streams/s/keys").header(HttpHeaders.AUTHORIZATION, "Bearer dev-key").exchange().expectStatus().isOk();
        assertThat(aggregator.takeRequest().headers().getValuesAsList(TenantHeader.NAME)).containsExactly("dev");
    }

    static Stream<Arguments> invalidTokens() throws Exception {
        return Stream.of(
                Arguments.of("expired", token(SIGNING, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600))))),
                Arguments.of("other issuer", token(SIGNING, c -> c.issuer("https://evil.test"))),
                Arguments.of("other audience", token(SIGNING, c -> c.audience(List.of("other-api")))),
                Arguments.of("signed by another key", token(STRANGER, c -> c)),
                Arguments.of("no tenant claim", token(SIGNING, c -> c.claim("org", null))),
                Arguments.of("tenant claim not a tenant name", token(SIGNING, c -> c.claim("org", "a/b"))),
                Arguments.of("not a token at all", "aaa.bbb.ccc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTokens")
    void shouldRefuseInvalidTokensWith401(String what, String token) {
        client.get().uri("/v1/streams/s/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().exists(HttpHeaders.WWW_AUTHENTICATE)
                .expectBody().jsonPath("$.type").isEqualTo("urn:batchmesh:problem:unauthenticated");
        assertThat(aggregator.drain()).isEmpty();
    }
}
