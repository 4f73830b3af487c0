package io.inboard.mesh.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointsResolverTest {

  private static final ServiceName REVIEWS = ServiceName.of("reviews", "default");
  private static final Service SERVICE = new ServiceBuilder()
      .withNewMetadata().withName("reviews").withNamespace("default").endMetadata()
      .withNewSpec().addNewPort().withName("http").withPort(9080).endPort().endSpec().build();
  private static final Pod POD = new PodBuilder()
      .withNewMetadata().withName("reviews-0").addToLabels("app", "reviews").endMetadata().build();

  private static Endpoint resolveOne(EndpointConditions conditions) {
    EndpointSlice slice = new EndpointSliceBuilder()
        .withNewMetadata().withName("reviews-0").endMetadata()
        .addNewPort().withName("http").withPort(8080).endPort()
        .addNewEndpoint().withAddresses("10.0.0.1").withConditions(conditions)
          .withNewTargetRef().withKind("Pod").withName("reviews-0").endTargetRef()
        .endEndpoint()
        .build();
    Resolution r = EndpointsResolver.resolve(REVIEWS, SERVICE, List.of(slice), name -> POD);
    return ((Resolution.Resolved) r).endpoints().endpoints().get(0);
  }

  @Test
  void missingConditionsMeanReadyServingNotTerminating() {
    Endpoint e = resolveOne(new EndpointConditions());

    assertThat(e.ready()).isTrue();
    assertThat(e.serving()).isTrue();
    assertThat(e.terminating()).isFalse();
  }

  @Test
  void missingServingFollowsReady() {
    Endpoint e = resolveOne(new EndpointConditions(false, null, null));

    assertThat(e.ready()).isFalse();
    assertThat(e.serving()).isFalse();
  }

  @Test
  void endpointOfUnknownPodIsHeldBack() {
    EndpointSlice slice = new EndpointSliceBuilder()
        .withNewMetadata().withName("reviews-0").endMetadata()
        .addNewPort().withName("http").withPort(8080).endPort()
        .addNewEndpoint().withAddresses("10.0.0.1")
          .withNewTargetRef().withKind("Pod").withName("reviews-0").endTargetRef()
        .endEndpoint()
        .build();

    Resolution r = EndpointsResolver.resolve(REVIEWS, SERVICE, List.of(slice), name -> null);

    assertThat(((Resolution.Resolved) r).endpoints().endpoints()).isEmpty();
  }
}
