package io.inboard.mesh.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.InternalControlPlane;
import io.inboard.mesh.testing.MockCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The first sync of a cluster that already holds Istio resources, on the fabric8 CRUD mock API
 * server: the resources reach the control plane as one batch.
 */
class KubernetesInitialSyncTest {
  static final int RESOURCES = 6;

  @Test
  void initialSyncOfManyResourcesPublishesOnce() throws Exception {
    try (MockCluster cluster = MockCluster.start().installIstioCrds();
        ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start()) {
      for (int i = 0; i < RESOURCES / 2; i++) {
        cluster.applyCustomResource("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: svc%1$d, namespace: synced}
            spec: {host: svc%1$d, subsets: [{name: v1, labels: {version: v1}}]}
            """.formatted(i));
        cluster.applyCustomResource("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: svc%1$d, namespace: synced}
            spec:
              hosts: [svc%1$d]
              http: [{route: [{destination: {host: svc%1$d, subset: v1}}]}]
            """.formatted(i));
      }
      long before = InternalControlPlane.engine(cp).publications();

      // one namespace without Services: the endpoint side has nothing to publish
      try (KubernetesConfigSource source = KubernetesConfigSource.builder(cluster.client(), cp)
          .namespaces("synced").start()) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(cp.resources("", "synced", "")).hasSize(RESOURCES));

        assertThat(source.rejected()).isEmpty();
        assertThat(InternalControlPlane.engine(cp).publications() - before).isEqualTo(1);
      }
    }
  }
}
