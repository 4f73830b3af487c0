package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.util.List;
import java.util.Map;

/**
 * The xDS of one service, {@code reviews} (subsets v1 on 127.0.0.2 and v3 on 127.0.0.3, port
 * 9080), under a VirtualService with the given {@code http} routes: what route translation tests
 * read.
 */
final class ReviewsTranslation {
  static final String FQDN = "reviews.default.svc.cluster.local";

  private ReviewsTranslation() {}

  static XdsResources translate(String http) {
    ResourceParser.Result parsed = new ResourceParser("default", "cluster.local").parse("t", """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v3, labels: {version: v3}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
        """ + http.indent(2));
    assertThat(parsed.hasErrors()).as(parsed.diagnostics().toString()).isFalse();
    return new XdsTranslator().translate(new MeshConfig(parsed.resources(), List.of(
        new ServiceEndpoint(FQDN, 9080, "127.0.0.2", Map.of("version", "v1")),
        new ServiceEndpoint(FQDN, 9080, "127.0.0.3", Map.of("version", "v3")))));
  }

  /** The same service with no VirtualService (and no DestinationRule): its default route. */
  static XdsResources translateWithoutVirtualService() {
    return new XdsTranslator().translate(new MeshConfig(List.of(), List.of(
        new ServiceEndpoint(FQDN, 9080, "127.0.0.2", Map.of("version", "v1")))));
  }
}
