package io.inboard.e2e.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** The unknown-field check that the manifest tests rely on, shown to catch what it must. */
class UnknownFieldsTest {

  @Test
  void reportsMisspeltFieldsWithTheirPath() {
    Deployment d = Serialization.unmarshal("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: details-v1, lables: {app: details}}
        spec:
          template:
            spec:
              containers:
              - name: details
                readinesProbe: {httpGet: {path: /health, port: http}}
                resources: {requests: {cpu: 100m}}
        """, Deployment.class);

    assertThat(UnknownFields.in(d)).containsExactlyInAnyOrder("metadata.lables",
        "spec.template.spec.containers[0].readinesProbe");
  }

  @Test
  void acceptsAWellFormedDeployment() {
    Deployment d = Serialization.unmarshal("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: details-v1, labels: {app: details}}
        spec:
          template:
            spec:
              containers:
              - name: details
                readinessProbe: {httpGet: {path: /health, port: http}}
                resources: {requests: {cpu: 100m}}
                lifecycle: {preStop: {sleep: {seconds: 5}}}
        """, Deployment.class);

    assertThat(UnknownFields.in(d)).isEmpty();
  }
}
