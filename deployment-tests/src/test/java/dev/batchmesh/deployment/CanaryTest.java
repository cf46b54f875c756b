package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batcher canary is a copy of v1; a copy is only safe while it cannot drift. */
class CanaryTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void shouldRunTheSamePodSpecAsV1ExceptImageAndVersionLabel() {
        List<Workload> batchers = Workload.all(Manifests.k8sResources()).stream()
                .filter(w -> w.app().equals("batcher-service")).toList();
        Workload v1 = batchers.stream().filter(w -> w.labels().get("version").equals("v1")).findFirst().orElseThrow();
        Workload v2 = batchers.stream().filter(w -> w.labels().get("version").equals("v2")).findFirst().orElseThrow();

        assertThat(v2.name()).isEqualTo("batcher-service-v2");
        assertThat(v2.container().getImage()).isNotEqualTo(v1.container().getImage());
        assertThat(normalised(v2.template())).isEqualTo(normalised(v1.template()));
    }

    private static String normalised(PodTemplateSpec template) {
        PodTemplateSpec copy = SERIALIZATION.clone(template);
        copy.getMetadata().getLabels().remove("version");
        copy.getSpec().getContainers().getFirst().setImage(null);
        return SERIALIZATION.asJson(copy);
    }
}
