package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Strimzi's and KEDA's custom resources, read as generic resources (no typed model here). */
class KafkaAndAutoscalingManifestsTest {

    private static final List<Manifests.Doc> DOCS = Manifests.k8sResources();
    private static final int MICROBATCHES_PARTITIONS = 6;

    @Test
    void shouldRunKafkaInKraftModeWithANodePoolAndOutsideTheMesh() {
        GenericKubernetesResource kafka = single("Kafka");
        assertThat(kafka.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
        assertThat(kafka.getMetadata().getAnnotations()).containsEntry("strimzi.io/kraft", "enabled")
                .containsEntry("strimzi.io/node-pools", "enabled");
        assertThat(kafka.<String>get("spec", "kafka", "version")).startsWith("4.1.");

        GenericKubernetesResource pool = single("KafkaNodePool");
        assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
        assertThat(pool.<List<String>>get("spec", "roles")).containsExactlyInAnyOrder("controller", "broker");

        // Strimzi does not support sidecars in its pods (strimzi#4604, #2922).
        for (Map<String, Object> labels : List.of(
                kafka.<Map<String, Object>>get("spec", "kafka", "template", "pod", "metadata", "labels"),
                kafka.<Map<String, Object>>get("spec", "entityOperator", "template", "pod", "metadata", "labels"),
                pool.<Map<String, Object>>get("spec", "template", "pod", "metadata", "labels"))) {
            assertThat(labels).containsEntry("sidecar.istio.io/inject", "false");
        }
    }

    @Test
    void shouldServeClientsOnlyThroughATlsListenerWithCertificateAuthentication() {
        GenericKubernetesResource kafka = single("Kafka");
        List<Map<String, Object>> listeners = kafka.get("spec", "kafka", "listeners");
        assertThat(listeners).isNotEmpty().allSatisfy(listener -> {
            assertThat(listener).containsEntry("tls", true);
            assertThat(Manifests.map(listener, "authentication")).containsEntry("type", "tls");
        });
        String bootstrap = Manifests.ofType(DOCS, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("pipeline-config")).findFirst().orElseThrow()
                .getData().get("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(listeners).extracting(l -> kafka.getMetadata().getName() + "-kafka-bootstrap:" + l.get("port")).contains(bootstrap);
        assertThat(kafka.<String>get("spec", "kafka", "authorization", "type")).isEqualTo("simple");
    }

    @Test
    void shouldDeclareThePipelineTopicsWithTheirPartitionCounts() {
        Map<String, Object> partitions = Manifests.generic(DOCS, "kafka.strimzi.io", "KafkaTopic").stream()
                .collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t.get("spec", "partitions")));
        assertThat(partitions).containsEntry("microbatches", MICROBATCHES_PARTITIONS).containsEntry("partials", 6)
                .containsEntry("microbatches-dlt", 1).containsEntry("ingest-idempotency", 6);
        GenericKubernetesResource idempotency = Manifests.generic(DOCS, "kafka.strimzi.io", "KafkaTopic").stream()
                .filter(t -> t.getMetadata().getName().equals("ingest-idempotency")).findFirst().orElseThrow();
        assertThat(idempotency.<Map<String, Object>>get("spec", "config"))
                .as("time-based, as the batcher creates it (IdempotencyConfig)")
                .containsEntry("cleanup.policy", "delete").containsEntry("message.timestamp.type", "LogAppendTime");
    }

    @Test
    void shouldGiveEveryKafkaClientATlsUserNamedAfterTheSecretItMounts() {
        List<GenericKubernetesResource> users = Manifests.generic(DOCS, "kafka.strimzi.io", "KafkaUser");
        for (Workload client : Workload.all(DOCS).stream().filter(w -> !w.app().equals("gateway-service")).toList()) {
            String secret = client.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals("kafka-user"))
                    .findFirst().orElseThrow().getSecret().getSecretName();
            assertThat(users).as(client.where()).anySatisfy(user -> {
                assertThat(user.getMetadata().getName()).isEqualTo(secret);
                assertThat(user.<String>get("spec", "authentication", "type")).isEqualTo("tls");
                assertThat(user.<List<Object>>get("spec", "authorization", "acls")).isNotEmpty();
            });
        }
    }

    @Test
    void shouldScaleProcessorsOnConsumerLagOfTheirGroup() {
        GenericKubernetesResource scaledObject = single("ScaledObject");
        assertThat(scaledObject.<String>get("spec", "scaleTargetRef", "name")).isEqualTo("processor-service");
        assertThat(scaledObject.<Integer>get("spec", "maxReplicaCount")).isLessThanOrEqualTo(MICROBATCHES_PARTITIONS);
        List<Map<String, Object>> triggers = scaledObject.get("spec", "triggers");
        assertThat(triggers).singleElement().satisfies(trigger -> {
            assertThat(trigger).containsEntry("type", "kafka");
            Map<String, Object> metadata = Manifests.map(trigger, "metadata");
            assertThat(metadata).containsEntry("consumerGroup", "processor").containsEntry("topic", "microbatches")
                    .containsKey("lagThreshold").containsKey("bootstrapServers");
            String authentication = Manifests.map(trigger, "authenticationRef").get("name").toString();
            assertThat(Manifests.generic(DOCS, "keda.sh", "TriggerAuthentication"))
                    .anySatisfy(auth -> assertThat(auth.getMetadata().getName()).isEqualTo(authentication));
        });
    }

    @Test
    void shouldOfferCpuScalingAsTheFallback() {
        assertThat(Manifests.ofType(DOCS, HorizontalPodAutoscaler.class)).singleElement().satisfies(hpa -> {
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("processor-service");
            assertThat(hpa.getSpec().getMaxReplicas()).isLessThanOrEqualTo(MICROBATCHES_PARTITIONS);
            assertThat(hpa.getSpec().getMetrics()).singleElement()
                    .satisfies(metric -> assertThat(metric.getResource().getName()).isEqualTo("cpu"));
        });
    }

    private static GenericKubernetesResource single(String kind) {
        List<GenericKubernetesResource> found = DOCS.stream().map(Manifests.Doc::resource)
                .filter(GenericKubernetesResource.class::isInstance).map(GenericKubernetesResource.class::cast)
                .filter(r -> r.getKind().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.getFirst();
    }
}
