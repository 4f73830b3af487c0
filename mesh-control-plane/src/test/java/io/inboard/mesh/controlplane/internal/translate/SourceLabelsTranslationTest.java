package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.ads.AdsServer;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceLabelsTranslationTest {
  static final String FQDN = "reviews.default.svc.cluster.local";

  private final ResourceParser parser = new ResourceParser("default", "cluster.local");

  @Test
  void keepsASourceLabelsAlternativeOnlyForCallersCarryingAllItsLabels() {
    ResourceParser.Result parsed = parser.parse("t", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - match: [{sourceLabels: {app: productpage, version: v2}}, {uri: {prefix: /canary}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """);
    assertThat(parsed.diagnostics()).isEmpty();
    MeshConfig config = new MeshConfig(parsed.resources(), List.of(
        new ServiceEndpoint(FQDN, 9080, "127.0.0.2", Map.of("version", "v1"))));

    assertThat(routes(config, Map.of())).containsExactly("/canary", "");
    assertThat(routes(config, Map.of("version", "v2"))).containsExactly("/canary", "");
    assertThat(routes(config, Map.of("app", "productpage", "version", "v2", "x", "y")))
        .containsExactly("", "/canary", "");
    // only routes differ between callers
    XdsResources none = new XdsTranslator().translate(config, Map.of());
    XdsResources v2 = new XdsTranslator().translate(config,
        Map.of("app", "productpage", "version", "v2"));
    assertThat(v2.clusters()).isEqualTo(none.clusters());
    assertThat(v2.assignments()).isEqualTo(none.assignments());
    assertThat(v2.listeners()).isEqualTo(none.listeners());
  }

  @Test
  void groupsNodesBySortedEscapedLabels() {
    assertThat(AdsServer.group(Node.getDefaultInstance())).isEmpty();
    assertThat(AdsServer.group(node(Map.of("version", "v2", "app", "productpage"))))
        .isEqualTo("app=productpage,version=v2");
    assertThat(AdsServer.group(node(Map.of("a", "b,c=d"))))
        .isNotEqualTo(AdsServer.group(node(Map.of("a", "b", "c", "d"))));
  }

  @Test
  void groupsNodesByNamespaceAsWellAsLabels() {
    Node shop = node(Map.of("app", "cart")).toBuilder().setMetadata(node(Map.of("app", "cart"))
        .getMetadata().toBuilder().putFields("NAMESPACE",
            Value.newBuilder().setStringValue("shop").build())).build();

    assertThat(AdsServer.group(shop)).isEqualTo("app=cart|shop");
    assertThat(AdsServer.group(shop)).isNotEqualTo(AdsServer.group(node(Map.of("app", "cart"))));
    // a label value holding the separator cannot pass for a namespace
    assertThat(AdsServer.group(node(Map.of("app", "cart|shop"))))
        .isEqualTo("app=cart\\|shop");
  }

  private static Node node(Map<String, String> labels) {
    Struct.Builder s = Struct.newBuilder();
    labels.forEach((k, v) -> s.putFields(k, Value.newBuilder().setStringValue(v).build()));
    return Node.newBuilder().setId("n").setMetadata(Struct.newBuilder().putFields("LABELS",
        Value.newBuilder().setStructValue(s).build())).build();
  }

  private static List<String> routes(MeshConfig config, Map<String, String> labels) {
    return new XdsTranslator().translate(config, labels).routes().get(0).getVirtualHosts(0)
        .getRoutesList().stream().map(Route::getMatch).map(m -> m.getPrefix()).toList();
  }
}
