package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mesh clients get the first VirtualService, in resource order, whose hosts cover theirs. */
class MeshVirtualServicesTest {

  @Test
  void firstCoveringVirtualServiceWins_exactOrWildcard_gatewayOnlyIgnored() {
    ResourceParser.Result parsed = new ResourceParser("default", "cluster.local").parse("t", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a-wild, namespace: default}
        spec:
          hosts: ["*.shop.svc.cluster.local"]
          http: [{route: [{destination: {host: cart.shop.svc.cluster.local}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: b-cart, namespace: default}
        spec:
          hosts: [cart.shop.svc.cluster.local, reviews.default.svc.cluster.local]
          http: [{route: [{destination: {host: cart.shop.svc.cluster.local}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: c-edge, namespace: default}
        spec:
          hosts: [ratings.default.svc.cluster.local]
          gateways: [edge]
          http: [{route: [{destination: {host: ratings.default.svc.cluster.local}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: d-all, namespace: default}
        spec:
          hosts: ["*"]
          http: [{route: [{destination: {host: details.default.svc.cluster.local}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: e-details, namespace: default}
        spec:
          hosts: [details.default.svc.cluster.local]
          http: [{route: [{destination: {host: details.default.svc.cluster.local}}]}]
        """);
    assertThat(parsed.hasErrors()).as(parsed.diagnostics().toString()).isFalse();
    MeshConfig config = new MeshConfig(parsed.resources(), List.of());
    MeshVirtualServices index = new MeshVirtualServices(config.resources().stream()
        .filter(r -> r instanceof ParsedResource.VirtualService)
        .map(r -> (ParsedResource.VirtualService) r).toList());

    // the wildcard comes first in resource order, so it wins over the exact host
    assertThat(index.forHost("cart.shop.svc.cluster.local").orElseThrow().id().name())
        .isEqualTo("a-wild");
    assertThat(index.forHost("reviews.default.svc.cluster.local").orElseThrow().id().name())
        .isEqualTo("b-cart");
    // c-edge is bound to a gateway only: the catch-all after it answers for mesh clients
    assertThat(index.forHost("ratings.default.svc.cluster.local").orElseThrow().id().name())
        .isEqualTo("d-all");
    // a catch-all before an exact host wins, as it comes first
    assertThat(index.forHost("details.default.svc.cluster.local").orElseThrow().id().name())
        .isEqualTo("d-all");
    assertThat(index.forHost("other.elsewhere.svc.cluster.local").orElseThrow().id().name())
        .isEqualTo("d-all");
    assertThat(new MeshVirtualServices(List.of()).forHost("details.default.svc.cluster.local"))
        .isEmpty();
  }
}
