package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

    @Test
    void shouldReportAMisspeltFieldOfAKubernetesManifest() {
        var deployment = Manifests.typedAll("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          readinesProbe:
                            httpGet:
                              path: /
                """).getFirst();

        assertThat(UnknownFields.in(deployment)).singleElement().asString().contains("readinesProbe");
    }

    @Test
    void shouldReportAMisspeltFieldOfAnIstioManifest() {
        var virtualService = Manifests.typedAll("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: x
                spec:
                  hosts: [x]
                  http:
                    - retries:
                        attempts: 2
                        perTryTimout: 2s
                      route:
                        - destination:
                            host: x
                """).getFirst();

        assertThat(UnknownFields.in(virtualService)).singleElement().asString().contains("perTryTimout");
    }

    @Test
    void shouldAcceptAManifestWhoseFieldsAreAllKnown() {
        var service = Manifests.typedAll("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: x
                spec:
                  ports:
                    - name: http-api
                      port: 80
                """).getFirst();

        assertThat(UnknownFields.in(service)).isEmpty();
    }
}
