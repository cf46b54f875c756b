package dev.batchmesh.deployment;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Secrets that the Strimzi operators write for the custom resources in the manifests. */
final class StrimziSecrets {

    private StrimziSecrets() {
    }

    static Set<String> names(List<Manifests.Doc> docs) {
        Set<String> names = new HashSet<>();
        for (GenericKubernetesResource kafka : Manifests.generic(docs, "kafka.strimzi.io", "Kafka")) {
            names.add(kafka.getMetadata().getName() + "-cluster-ca-cert");
        }
        for (GenericKubernetesResource user : Manifests.generic(docs, "kafka.strimzi.io", "KafkaUser")) {
            names.add(user.getMetadata().getName());
        }
        return names;
    }
}
