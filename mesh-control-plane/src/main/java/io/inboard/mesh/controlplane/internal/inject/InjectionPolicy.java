package io.inboard.mesh.controlplane.internal.inject;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a pod is injected, as Istio's {@code injectRequired} with policy {@code enabled}:
 * namespaces are selected by the webhook configuration ({@code istio-injection=enabled} or
 * {@code istio.io/rev}), so a pod that reaches the webhook is injected unless it says otherwise.
 *
 * <ol>
 *   <li>{@code spec.hostNetwork: true}: never (the pod shares the node's network).
 *   <li>Kubernetes' own namespaces ({@code kube-system}, {@code kube-public},
 *       {@code kube-node-lease}, {@code local-path-storage}): never.
 *   <li>Already injected ({@value InjectionTemplate#STATUS_ANNOTATION}): not again.
 *   <li>Pod label {@code sidecar.istio.io/inject}, else the annotation of that name (the label
 *       wins): {@code y}, {@code yes}, {@code true}, {@code on} (any case) inject; another
 *       non-empty value, such as {@code "false"}, opts out; absent or empty: injected.
 * </ol>
 */
final class InjectionPolicy {
  static final String INJECT_KEY = "sidecar.istio.io/inject";
  private static final Set<String> IGNORED_NAMESPACES =
      Set.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage");
  private static final Set<String> YES = Set.of("y", "yes", "true", "on");

  /** Why a pod is or is not injected. */
  enum Decision {
    INJECT, HOST_NETWORK, SYSTEM_NAMESPACE, ALREADY_INJECTED, OPTED_OUT;

    boolean inject() {
      return this == INJECT;
    }
  }

  private InjectionPolicy() {}

  /**
   * The decision for a pod (or pod template) with {@code metadata} and {@code spec}, in
   * {@code namespace} ("" when unknown).
   */
  static Decision decide(Map<String, Object> metadata, Map<String, Object> spec,
      String namespace) {
    if (Boolean.TRUE.equals(spec == null ? null : spec.get("hostNetwork"))) {
      return Decision.HOST_NETWORK;
    }
    if (IGNORED_NAMESPACES.contains(namespace)) {
      return Decision.SYSTEM_NAMESPACE;
    }
    Map<String, Object> annotations = Trees.map(metadata, "annotations");
    if (annotations != null && annotations.containsKey(InjectionTemplate.STATUS_ANNOTATION)) {
      return Decision.ALREADY_INJECTED;
    }
    Map<String, Object> labels = Trees.map(metadata, "labels");
    Object selector = annotations == null ? null : annotations.get(INJECT_KEY);
    if (labels != null && labels.containsKey(INJECT_KEY)) {
      selector = labels.get(INJECT_KEY);
    }
    String value = selector == null ? "" : String.valueOf(selector).toLowerCase(Locale.ROOT);
    return value.isEmpty() || YES.contains(value) ? Decision.INJECT : Decision.OPTED_OUT;
  }
}
