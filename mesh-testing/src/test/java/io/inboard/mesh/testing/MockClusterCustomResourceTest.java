package io.inboard.mesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockClusterCustomResourceTest {

  private final MockCluster cluster = MockCluster.start();

  @AfterEach
  void closeCluster() {
    cluster.close();
  }

  private List<GenericKubernetesResource> virtualServices(String version) {
    var context = new ResourceDefinitionContext.Builder().withGroup("networking.istio.io")
        .withVersion(version).withKind("VirtualService").withPlural("virtualservices")
        .withNamespaced(true).build();
    return cluster.client().genericKubernetesResources(context).inAnyNamespace().list()
        .getItems();
  }

  @Test
  void customResourceIsReadableInEveryVersionItsCrdServes() {
    cluster.installIstioCrds();

    cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: {name: reviews, namespace: bookinfo}
        spec: {hosts: [reviews]}
        """);

    for (String version : List.of("v1", "v1beta1", "v1alpha3")) {
      assertThat(virtualServices(version)).singleElement().satisfies(vs -> {
        assertThat(vs.getApiVersion()).isEqualTo("networking.istio.io/" + version);
        assertThat(vs.getMetadata().getNamespace()).isEqualTo("bookinfo");
        assertThat(vs.getAdditionalProperties().get("spec"))
            .isEqualTo(Map.of("hosts", List.of("reviews")));
      });
    }
  }

  @Test
  void deletedCustomResourceIsGoneFromEveryVersion() {
    cluster.installIstioCrds();
    cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec: {hosts: [reviews]}
        """);

    cluster.deleteCustomResource("networking.istio.io", "VirtualService", "default", "reviews");

    assertThat(virtualServices("v1")).isEmpty();
    assertThat(virtualServices("v1alpha3")).isEmpty();
  }

  @Test
  void customResourceOfKindWithoutCrdIsRejected() {
    assertThatThrownBy(() -> cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec: {hosts: [reviews]}
        """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind: networking.istio.io/VirtualService (expected: a kind whose"
            + " CustomResourceDefinition is installed, such as the Istio kinds after"
            + " installIstioCrds())");
  }
}
