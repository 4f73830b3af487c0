package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route to a subset no DestinationRule defines is warned about on apply, on analyze and in
 * the admin API's diagnostics, and the warning goes once a DestinationRule defines it, whatever
 * the order they were applied in.
 */
class ReferenceWarningsTest {
  static final String VS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews}
      spec:
        hosts: [reviews]
        http:
        - redirect: {uri: /elsewhere}
          match: [{uri: {prefix: /old}}]
        - match: [{headers: {end-user: {exact: jason}}}]
          route: [{destination: {host: reviews, subset: v2}}]
        - route:
          - {destination: {host: reviews, subset: v1}, weight: 50}
          - {destination: {host: reviews.default.svc.cluster.local, subset: v3}, weight: 50}
      """;
  static final String DR = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews}
      spec:
        host: reviews
        subsets:
        - {name: v1, labels: {version: v1}}
        - {name: v2, labels: {version: v2}}
      """;
  static final String V3_MISSING = "WARNING VirtualService default/reviews:"
      + " spec.http[2].route[1].destination.subset: subset 'v3' of host"
      + " reviews.default.svc.cluster.local is not defined by any DestinationRule; calls routed"
      + " here fail until one defines it";

  static final String MISSING = "is not defined by any DestinationRule";

  ControlPlane cp;
  AdminHttp admin;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
    admin = new AdminHttp(cp);
  }

  @AfterEach
  void stop() {
    admin.close();
    cp.close();
  }

  @Test
  void subsetWarningAppearsUntilTheDestinationRuleDefinesIt() throws Exception {
    Diagnostics applied = cp.apply(VS);

    assertThat(applied.hasErrors()).isFalse();
    assertThat(texts(applied.warnings())).containsExactly(
        V3_MISSING.replace("[2].route[1]", "[1].route[0]").replace("'v3'", "'v2'"),
        V3_MISSING.replace("route[1]", "route[0]").replace("'v3'", "'v1'"),
        V3_MISSING);
    assertThat(texts(cp.diagnostics().warnings())).hasSize(3);

    cp.apply(DR);

    assertThat(texts(cp.diagnostics().warnings())).containsExactly(V3_MISSING);
    assertThat(adminWarnings()).containsExactly(V3_MISSING);
    assertThat(texts(cp.analyze(VS).warnings())).containsExactly(V3_MISSING);

    cp.apply(DR.replace("- {name: v2", "- {name: v3, labels: {version: v3}}\n  - {name: v2"));

    assertThat(texts(cp.diagnostics().warnings())).isEmpty();
    assertThat(adminWarnings()).isEmpty();
  }

  @Test
  void applyingTheDestinationRuleFirstLeavesNoWarning() {
    cp.apply(DR.replace("- {name: v2", "- {name: v3, labels: {version: v3}}\n  - {name: v2"));

    assertThat(texts(cp.apply(VS).warnings())).isEmpty();
  }

  @Test
  void analyzeChecksReferencesWithinItsOwnInputAndChangesNothing() {
    assertThat(texts(cp.analyze(VS + "---\n" + DR).warnings())).containsExactly(V3_MISSING);
    assertThat(cp.resources("", "", "")).isEmpty();
  }

  private List<String> adminWarnings() throws Exception {
    JsonArray warnings = admin.get("/api/v1/diagnostics").json().getAsJsonArray("warnings");
    return warnings.asList().stream()
        .map(e -> e.getAsJsonObject().get("text").getAsString())
        .filter(t -> t.contains(MISSING)).toList();
  }

  /** The subset warnings; the redirect route's own "not honoured" warning is left out. */
  private static List<String> texts(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(Diagnostic::toString).filter(t -> t.contains(MISSING))
        .toList();
  }

  @Test
  void twoVirtualServicesForOneHost_eachNamesTheOther_theFirstAppliedIsServed_deleteClears() {
    String first = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews-a}
        spec:
          hosts: [reviews]
          http: [{route: [{destination: {host: reviews}}]}]
        """;
    String second = first.replace("reviews-a", "reviews-b");
    assertThat(cp.apply(first).warnings()).isEmpty();

    Diagnostics applied = cp.apply(second);

    assertThat(applied.warnings()).extracting(Diagnostic::toString).containsExactly(
        "WARNING VirtualService default/reviews-b: spec.hosts[0]: host"
            + " reviews.default.svc.cluster.local is also claimed by VirtualService"
            + " default/reviews-a, applied first, which is the one served for it; this one is"
            + " ignored for it (resources for one host are not merged)");
    assertThat(cp.diagnostics().warnings()).extracting(Diagnostic::toString).contains(
        "WARNING VirtualService default/reviews-a: spec.hosts[0]: host"
            + " reviews.default.svc.cluster.local is also claimed by VirtualService"
            + " default/reviews-b, applied later and ignored for it; this one is served"
            + " (resources for one host are not merged)");

    cp.delete(first);
    assertThat(cp.diagnostics().warnings()).isEmpty();
  }
}
