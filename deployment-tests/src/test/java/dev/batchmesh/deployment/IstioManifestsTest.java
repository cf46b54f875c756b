package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHash;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpHeaderName;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import io.fabric8.istio.api.api.security.v1beta1.Operation;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.istio.api.api.security.v1beta1.RuleFrom;
import io.fabric8.istio.api.api.security.v1beta1.RuleTo;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The mesh configuration in istio/, checked against itself and against the workloads in k8s/. */
class IstioManifestsTest {

    private static final String NAMESPACE = "batchmesh";
    private static final String GATEWAY_PRINCIPAL = "cluster.local/ns/" + NAMESPACE + "/sa/gateway-service";
    private static final String AGGREGATOR_PRINCIPAL = "cluster.local/ns/" + NAMESPACE + "/sa/aggregator-service";

    private static final List<Manifests.Doc> ISTIO = Manifests.istioResources();
    private static final List<Manifests.Doc> K8S = Manifests.k8sResources();

    static Stream<Path> istioFiles() {
        return Manifests.istioFiles().stream();
    }

    static Stream<VirtualService> virtualServices() {
        return Manifests.ofType(ISTIO, VirtualService.class).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("istioFiles")
    void shouldNameEachFileTheBookinfoWayAndOpenWithAComment(Path file) {
        String name = file.getFileName().toString();
        assertThat(name).matches("(gateway|virtual-service|destination-rule|peer-authentication|authorization-policy)-(all|[a-z]+)(-[a-z0-9-]+)?\\.yaml");
        assertThat(Manifests.read(file)).as(name + " opens with a comment saying what it holds and how to apply it")
                .startsWith("# ").contains("Apply: kubectl apply -n " + NAMESPACE + " -f istio/" + name);
        List<Manifests.Doc> docs = Manifests.resources(file);
        String kind = kebab(docs.getFirst().resource().getKind());
        assertThat(name).as("file named for the kind it holds").startsWith(kind + "-");
        assertThat(docs).allSatisfy(doc -> {
            assertThat(doc.resource().getApiVersion()).isIn("networking.istio.io/v1", "security.istio.io/v1");
            assertThat(doc.resource().getMetadata().getNamespace()).as("namespace comes from kubectl -n").isNull();
            assertThat(UnknownFields.in(doc.resource())).as(doc.where()).isEmpty();
        });
    }

    @Test
    void shouldRequireMutualTlsForTheWholeNamespace() {
        assertThat(Manifests.ofType(ISTIO, PeerAuthentication.class)).singleElement().satisfies(policy -> {
            assertThat(policy.getMetadata().getName()).isEqualTo("default");
            assertThat(policy.getSpec().getSelector()).as("namespace-wide").isNull();
            assertThat(policy.getSpec().getMtls().getMode()).isEqualTo(PeerAuthenticationMutualTLSMode.STRICT);
            assertThat(policy.getSpec().getPortLevelMtls()).isNullOrEmpty();
        });
    }

    @Test
    void shouldDenyEverythingThatNoPolicyAllows() {
        assertThat(Manifests.ofType(ISTIO, AuthorizationPolicy.class)).anySatisfy(policy -> {
            assertThat(policy.getSpec().getSelector()).isNull();
            assertThat(policy.getSpec().getRules()).isNullOrEmpty();
            assertThat(policy.getSpec().getAction()).isIn(null, AuthorizationPolicyAction.ALLOW);
        });
    }

    @Test
    void shouldLetTheIngressReachTheApiAndTheLiveWebViewOfTheGatewayOnly() {
        List<Rule> rules = allowRules("gateway-service");
        assertThat(rules).isNotEmpty().allSatisfy(rule -> assertThat(operations(rule)).allSatisfy(operation -> {
            assertThat(operation.getPorts()).containsExactly(String.valueOf(ApplicationConfig.of("gateway-service").serverPort()));
            assertThat(operation.getPaths()).containsExactlyInAnyOrder("/v1/*", "/live", "/live/*", "/webjars/*");
        }));
    }

    @Test
    void shouldLetOnlyTheGatewayCallTheBatcherAndOnlyToIngest() {
        List<Rule> rules = allowRules("batcher-service");
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(principals(rule)).containsExactly(GATEWAY_PRINCIPAL);
            assertThat(operations(rule)).allSatisfy(operation -> {
                assertThat(operation.getMethods()).containsExactly("POST");
                assertThat(operation.getPaths()).containsExactly("/v1/streams/{*}/records");
                assertThat(operation.getPorts()).containsExactly(String.valueOf(ApplicationConfig.of("batcher-service").serverPort()));
            });
        });
    }

    @Test
    void shouldLetTheGatewayQueryTheAggregatorAndOnlyAggregatorReplicasUseInternalPaths() {
        List<Rule> rules = allowRules("aggregator-service");
        assertThat(rules).anySatisfy(rule -> assertThat(principals(rule)).containsExactly(GATEWAY_PRINCIPAL));
        assertThat(rules).allSatisfy(rule -> {
            assertThat(principals(rule)).isNotEmpty().isSubsetOf(GATEWAY_PRINCIPAL, AGGREGATOR_PRINCIPAL);
            assertThat(operations(rule)).allSatisfy(operation -> {
                assertThat(operation.getMethods()).containsExactly("GET");
                assertThat(operation.getPorts()).containsExactly(String.valueOf(ApplicationConfig.of("aggregator-service").serverPort()));
                assertThat(operation.getPaths()).isNotEmpty().allSatisfy(path -> assertThat(path).doesNotEndWith("*"));
                if (principals(rule).contains(GATEWAY_PRINCIPAL)) {
                    assertThat(operation.getPaths()).as("the gateway never reaches /internal")
                            .noneSatisfy(path -> assertThat(path).startsWith("/internal"));
                }
            });
        });
        assertThat(rules).as("peer replicas gather local parts and receive forwarded queries")
                .anySatisfy(rule -> {
                    assertThat(principals(rule)).containsExactly(AGGREGATOR_PRINCIPAL);
                    assertThat(operations(rule)).flatExtracting(Operation::getPaths)
                            .contains("/internal/v1/streams/{*}/keys", "/internal/v1/streams/{*}/summary", "/v1/streams/{*}/aggregates");
                });
    }

    @Test
    void shouldNameOnlyServiceAccountsThatTheWorkloadsUse() {
        Set<String> accounts = Workload.all(K8S).stream().map(w -> "cluster.local/ns/" + NAMESPACE + "/sa/"
                + w.template().getSpec().getServiceAccountName()).collect(Collectors.toSet());
        assertThat(Manifests.ofType(ISTIO, AuthorizationPolicy.class)).flatExtracting(policy -> policy.getSpec().getRules() == null
                        ? List.of() : policy.getSpec().getRules().stream().flatMap(rule -> principals(rule).stream()).toList())
                .filteredOn(principal -> principal.toString().contains("/ns/" + NAMESPACE + "/"))
                .isNotEmpty().allSatisfy(principal -> assertThat(accounts).contains(principal.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("virtualServices")
    void shouldNeverRetryARouteThatCanCarryAPost(VirtualService virtualService) {
        for (HTTPRoute route : virtualService.getSpec().getHttp()) {
            if (canMatchMethod(route, "POST")) {
                assertThat(route.getRetries()).as("%s route %s: explicit retry policy", name(virtualService), route.getName()).isNotNull();
                assertThat(route.getRetries().getAttempts()).as("%s route %s: attempts", name(virtualService), route.getName()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("virtualServices")
    void shouldBoundEveryRouteWithATimeoutAndRetryReadsOnlyWithinIt(VirtualService virtualService) {
        assertThat(virtualService.getSpec().getHttp()).allSatisfy(route -> {
            assertThat(route.getName()).as("route name").isNotBlank();
            assertThat(route.getTimeout()).as("%s route %s timeout", name(virtualService), route.getName()).isNotNull();
            assertThat(route.getRetries()).as("%s route %s: explicit retry policy", name(virtualService), route.getName()).isNotNull();
            if (route.getRetries().getAttempts() > 0) {
                assertThat(canMatchMethod(route, "POST")).isFalse();
                assertThat(route.getRetries().getPerTryTimeout()).as("perTryTimeout").isNotNull();
                assertThat(route.getRetries().getRetryOn()).as("retryOn").isNotBlank();
                assertThat(route.getRetries().getAttempts()).isLessThanOrEqualTo(2);
                assertThat(seconds(route.getRetries().getPerTryTimeout())).isLessThanOrEqualTo(seconds(route.getTimeout()));
                // the gateway already retries queries on 502/503: the mesh may only retry what
                // never reached an application, or the layers multiply
                assertThat(route.getRetries().getRetryOn().split(","))
                        .as("%s route %s retryOn", name(virtualService), route.getName())
                        .allSatisfy(condition -> assertThat(condition.trim()).isIn("connect-failure", "refused-stream"));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("virtualServices")
    void shouldRouteOnlyToServicesPortsAndSubsetsThatExist(VirtualService virtualService) {
        for (HTTPRoute route : virtualService.getSpec().getHttp()) {
            for (HTTPRouteDestination destination : route.getRoute()) {
                String host = destination.getDestination().getHost();
                Service service = service(host);
                assertThat(service.getSpec().getPorts()).extracting(p -> (long) p.getPort())
                        .contains(destination.getDestination().getPort().getNumber());
                String subset = destination.getDestination().getSubset();
                if (subset != null) {
                    assertThat(subsets(host)).as("subsets of " + host).extracting(Subset::getName).contains(subset);
                }
            }
        }
    }

    @Test
    void shouldSplitTheBatcherCanaryNinetyToTen() {
        VirtualService canary = Manifests.resources(Manifests.ISTIO.resolve("virtual-service-batcher-90-10.yaml")).stream()
                .map(Manifests.Doc::resource).map(VirtualService.class::cast).findFirst().orElseThrow();
        assertThat(canary.getSpec().getHttp()).isNotEmpty().allSatisfy(route -> {
            Map<String, Integer> weights = route.getRoute().stream().collect(Collectors.toMap(
                    d -> d.getDestination().getSubset(), HTTPRouteDestination::getWeight));
            assertThat(weights).containsExactlyInAnyOrderEntriesOf(Map.of("v1", 90, "v2", 10));
            assertThat(weights.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        });
    }

    @Test
    void shouldSumWeightsToOneHundredWhereverTrafficIsSplit() {
        virtualServices().flatMap(vs -> vs.getSpec().getHttp().stream()).filter(route -> route.getRoute().size() > 1)
                .forEach(route -> assertThat(route.getRoute().stream().mapToInt(HTTPRouteDestination::getWeight).sum()).isEqualTo(100));
    }

    @Test
    void shouldInjectFaultsOnlyInTheDrillFile() {
        virtualServices().forEach(vs -> vs.getSpec().getHttp().stream().filter(route -> route.getFault() != null)
                .forEach(route -> assertThat(route.getMatch()).as("a fault applies only to drill traffic")
                        .allSatisfy(match -> assertThat(match.getHeaders()).containsKey("x-fault-drill"))));
        assertThat(virtualServices().flatMap(vs -> vs.getSpec().getHttp().stream()).filter(route -> route.getFault() != null)).isNotEmpty();
    }

    @Test
    void shouldDefineEverySubsetAsTheVersionLabelOfSomeWorkload() {
        Set<Map<String, String>> podLabels = Workload.all(K8S).stream().map(Workload::labels).collect(Collectors.toSet());
        for (DestinationRule rule : Manifests.ofType(ISTIO, DestinationRule.class)) {
            assertThat(rule.getSpec().getSubsets()).isNotEmpty().allSatisfy(subset -> {
                assertThat(subset.getLabels()).containsOnlyKeys("version");
                assertThat(podLabels).as("pods of %s with %s", rule.getSpec().getHost(), subset.getLabels())
                        .anySatisfy(labels -> {
                            assertThat(labels).containsEntry("app", service(rule.getSpec().getHost()).getSpec().getSelector().get("app"));
                            assertThat(labels).containsAllEntriesOf(subset.getLabels());
                        });
            });
        }
    }

    @Test
    void shouldDetectOutliersAndLimitConnectionsOnEveryDestination() {
        List<DestinationRule> rules = Manifests.ofType(ISTIO, DestinationRule.class);
        assertThat(rules).extracting(rule -> rule.getSpec().getHost())
                .containsExactlyInAnyOrder("gateway-service", "batcher-service", "aggregator-service");
        assertThat(rules).allSatisfy(rule -> {
            var policy = rule.getSpec().getTrafficPolicy();
            assertThat(policy.getOutlierDetection()).as(rule.getSpec().getHost()).isNotNull();
            assertThat(policy.getOutlierDetection().getBaseEjectionTime()).isNotNull();
            assertThat(policy.getOutlierDetection().getMaxEjectionPercent()).isBetween(1, 50);
            assertThat(policy.getConnectionPool().getTcp().getMaxConnections()).isPositive();
            assertThat(policy.getConnectionPool().getHttp().getHttp1MaxPendingRequests()).isPositive();
        });
    }

    @Test
    void shouldHashBatcherRequestsOnTheIdempotencyKey() {
        DestinationRule batcher = Manifests.ofType(ISTIO, DestinationRule.class).stream()
                .filter(rule -> rule.getSpec().getHost().equals("batcher-service")).findFirst().orElseThrow();
        var lbPolicy = batcher.getSpec().getTrafficPolicy().getLoadBalancer().getLbPolicy();
        assertThat(lbPolicy).isInstanceOf(LoadBalancerSettingsConsistentHash.class);
        var hashKey = ((LoadBalancerSettingsConsistentHash) lbPolicy).getConsistentHash().getHashKey();
        assertThat(hashKey).isInstanceOfSatisfying(LoadBalancerSettingsConsistentHashLBHttpHeaderName.class,
                key -> assertThat(key.getHttpHeaderName()).isEqualTo("Idempotency-Key"));
    }

    @Test
    void shouldRouteAllIngressTrafficToTheGatewayService() {
        Gateway gateway = Manifests.ofType(ISTIO, Gateway.class).getFirst();
        assertThat(gateway.getSpec().getSelector()).containsEntry("istio", "ingressgateway");
        List<VirtualService> bound = virtualServices().filter(vs -> vs.getSpec().getGateways() != null
                && vs.getSpec().getGateways().contains(gateway.getMetadata().getName())).toList();
        assertThat(bound).singleElement().satisfies(vs -> assertThat(vs.getSpec().getHttp())
                .flatExtracting(HTTPRoute::getRoute).allSatisfy(d -> assertThat(d.getDestination().getHost()).isEqualTo("gateway-service")));
    }

    private static List<Rule> allowRules(String app) {
        List<AuthorizationPolicy> policies = Manifests.ofType(ISTIO, AuthorizationPolicy.class).stream()
                .filter(p -> p.getSpec().getSelector() != null && app.equals(p.getSpec().getSelector().getMatchLabels().get("app")))
                .toList();
        assertThat(policies).as("AuthorizationPolicy for " + app).singleElement()
                .satisfies(p -> assertThat(p.getSpec().getAction()).isEqualTo(AuthorizationPolicyAction.ALLOW));
        return policies.getFirst().getSpec().getRules();
    }

    private static List<String> principals(Rule rule) {
        assertSoftly(softly -> softly.assertThat(rule.getFrom()).as("every rule names its callers").isNotEmpty());
        return rule.getFrom().stream().map(RuleFrom::getSource).flatMap(source -> {
            assertThat(source.getNamespaces()).as("callers by identity, not by namespace").isNullOrEmpty();
            return source.getPrincipals().stream();
        }).toList();
    }

    private static List<Operation> operations(Rule rule) {
        assertThat(rule.getTo()).as("every rule names its operations").isNotEmpty();
        return rule.getTo().stream().map(RuleTo::getOperation).toList();
    }

    private static boolean canMatchMethod(HTTPRoute route, String method) {
        List<HTTPMatchRequest> matches = route.getMatch();
        if (matches == null || matches.isEmpty()) {
            return true;
        }
        return matches.stream().anyMatch(match -> match.getMethod() == null
                || (match.getMethod().getMatchType() instanceof StringMatchExact exact && exact.getExact().equals(method))
                || !(match.getMethod().getMatchType() instanceof StringMatchExact));
    }

    private static Service service(String host) {
        return Manifests.ofType(K8S, Service.class).stream().filter(s -> s.getMetadata().getName().equals(host)).findFirst()
                .orElseThrow(() -> new AssertionError("no Service " + host + " in k8s/"));
    }

    private static List<Subset> subsets(String host) {
        return Manifests.ofType(ISTIO, DestinationRule.class).stream().filter(rule -> rule.getSpec().getHost().equals(host))
                .flatMap(rule -> rule.getSpec().getSubsets().stream()).toList();
    }

    private static double seconds(String duration) {
        return ApplicationConfig.duration(duration).toMillis() / 1000.0;
    }

    private static String name(VirtualService virtualService) {
        return "VirtualService/" + virtualService.getMetadata().getName();
    }

    private static String kebab(String kind) {
        return kind.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }
}
