package io.inboard.mesh.controlplane.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Telemetry's scope as read: selector labels, or the Services its targetRef(s) name. */
class TelemetryParserTest {
  static ResourceParser.Result parse(String spec) {
    return new ResourceParser("default", "cluster.local").parse("test", """
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: t, namespace: shop}
        spec:
        """ + spec.indent(2));
  }

  @Test
  void selectorLabelsAreTheScope() {
    ParsedResource r = parse("selector: {matchLabels: {app: cart}}").resources().get(0);
    assertThat(r).isInstanceOfSatisfying(ParsedResource.Telemetry.class, t -> {
      assertThat(t.selector()).isEqualTo(Map.of("app", "cart"));
      assertThat(t.namespaceWide()).isFalse();
    });
  }

  @Test
  void serviceTargetsInTheSingleAndListFormsAreTheScope() {
    assertThat(parse("targetRef: {kind: Service, name: cart}").resources().get(0))
        .isInstanceOfSatisfying(ParsedResource.Telemetry.class,
            t -> assertThat(t.targetServices()).containsExactly("cart"));
    assertThat(parse("targetRefs: [{kind: Service, group: '', name: cart},"
        + " {kind: Service, name: orders, namespace: shop}]").resources().get(0))
        .isInstanceOfSatisfying(ParsedResource.Telemetry.class,
            t -> assertThat(t.targetServices()).containsExactly("cart", "orders"));
  }

  @Test
  void noSelectorOrTargetIsNamespaceWide() {
    assertThat(parse("{}").resources().get(0)).isInstanceOfSatisfying(
        ParsedResource.Telemetry.class, t -> assertThat(t.namespaceWide()).isTrue());
  }

  @Test
  void badScopesAreRefusedNamingTheField() {
    assertThat(parse("targetRefs: [{kind: Service, name: cart, namespace: other}]")
        .diagnostics()).extracting(Diagnostic::toString).containsExactly(
            "Telemetry shop/t: spec.targetRefs[0].namespace: 'other' (expected: 'shop', the"
                + " Telemetry's own namespace (as Istio))");
    assertThat(parse("selector: {labels: {app: cart}}").diagnostics())
        .extracting(Diagnostic::field).containsExactly("spec.selector.labels");
    assertThat(parse("targetRef: {kind: Service, name: a}\ntargetRefs: []").diagnostics())
        .extracting(Diagnostic::field).containsExactly("spec.targetRefs");
    assertThat(parse("targetRefs: [{kind: Service, nme: a}]").diagnostics())
        .extracting(Diagnostic::field).containsExactly("spec.targetRefs[0].nme");
    assertThat(parse("- tracing").diagnostics()).extracting(Diagnostic::field)
        .containsExactly("spec");
  }

  @Test
  void resourcesWithoutErrorsHaveNone() {
    assertThat(parse("accessLogging: [{providers: [{name: envoy}]}]").diagnostics()).isEqualTo(
        List.of());
  }
}
