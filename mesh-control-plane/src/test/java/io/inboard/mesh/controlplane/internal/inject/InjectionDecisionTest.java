package io.inboard.mesh.controlplane.internal.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.internal.inject.InjectionPolicy.Decision;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Istio's {@code injectRequired}, the workload name, and the patch's pointer escaping. */
class InjectionDecisionTest {

  static Stream<Arguments> selectors() {
    return Stream.of(
        Arguments.of(Map.of(), Map.of(), Decision.INJECT),
        Arguments.of(Map.of("sidecar.istio.io/inject", "false"), Map.of(), Decision.OPTED_OUT),
        Arguments.of(Map.of("sidecar.istio.io/inject", "no"), Map.of(), Decision.OPTED_OUT),
        Arguments.of(Map.of("sidecar.istio.io/inject", "TRUE"), Map.of(), Decision.INJECT),
        Arguments.of(Map.of("sidecar.istio.io/inject", "on"), Map.of(), Decision.INJECT),
        Arguments.of(Map.of(), Map.of("sidecar.istio.io/inject", "false"), Decision.OPTED_OUT),
        Arguments.of(Map.of("sidecar.istio.io/inject", "true"),
            Map.of("sidecar.istio.io/inject", "false"), Decision.INJECT),
        Arguments.of(Map.of("sidecar.istio.io/inject", "false"),
            Map.of("sidecar.istio.io/inject", "true"), Decision.OPTED_OUT),
        Arguments.of(Map.of(), Map.of("inboard.io/status", "{}"), Decision.ALREADY_INJECTED));
  }

  @ParameterizedTest
  @MethodSource("selectors")
  void labelWinsOverAnnotation_asIstiosInjectRequired(Map<String, Object> labels,
      Map<String, Object> annotations, Decision expected) {
    assertThat(InjectionPolicy.decide(Map.of("labels", labels, "annotations", annotations),
        Map.of(), "default")).isEqualTo(expected);
  }

  @Test
  void hostNetworkAndSystemNamespaces_areNeverInjected() {
    Map<String, Object> optedIn = Map.of("labels", Map.of("sidecar.istio.io/inject", "true"));
    assertThat(InjectionPolicy.decide(optedIn, Map.of("hostNetwork", true), "default"))
        .isEqualTo(Decision.HOST_NETWORK);
    assertThat(InjectionPolicy.decide(optedIn, Map.of(), "kube-system"))
        .isEqualTo(Decision.SYSTEM_NAMESPACE);
  }

  static Stream<Arguments> names() {
    Map<String, Object> rs = Map.of("kind", "ReplicaSet", "name", "reviews-v2-5b4d7f9c8",
        "controller", true);
    return Stream.of(
        Arguments.of(Map.of("generateName", "reviews-v2-5b4d7f9c8-",
            "labels", Map.of("pod-template-hash", "5b4d7f9c8"), "ownerReferences", List.of(rs)),
            "reviews-v2"),
        Arguments.of(Map.of("generateName", "frontend-", "ownerReferences", List.of(Map.of(
            "kind", "ReplicaSet", "name", "frontend", "controller", true))), "frontend"),
        Arguments.of(Map.of("name", "web-0", "ownerReferences", List.of(Map.of(
            "kind", "StatefulSet", "name", "web", "controller", true))), "web"),
        Arguments.of(Map.of("generateName", "fluentd-"), "fluentd"),
        Arguments.of(Map.of("generateName", "api-6d4f8-",
            "labels", Map.of("pod-template-hash", "6d4f8")), "api"),
        Arguments.of(Map.of("name", "sleep"), "sleep"));
  }

  @ParameterizedTest
  @MethodSource("names")
  void workloadName_isTheDeploymentOrControllerOrGenerateName(Map<String, Object> metadata,
      String expected) {
    assertThat(WorkloadNames.forPod(metadata)).isEqualTo(expected);
  }

  @Test
  void patchPaths_escapeSlashAndTilde() {
    assertThat(JsonPatchDiff.diff(Map.of("labels", Map.of()),
        Map.of("labels", Map.of("a/b~c", "v"))))
        .containsExactly(Map.of("op", "add", "path", "/labels/a~1b~0c", "value", "v"));
  }

  @Test
  void diff_addsAbsentListsWholeAndAppendsToPresentOnes() {
    assertThat(JsonPatchDiff.diff(Map.of("a", List.of(1)), Map.of("a", List.of(1, 2),
        "b", List.of(3)))).containsExactlyInAnyOrder(
            Map.of("op", "add", "path", "/a/1", "value", 2),
            Map.of("op", "add", "path", "/b", "value", List.of(3)));
  }
}
