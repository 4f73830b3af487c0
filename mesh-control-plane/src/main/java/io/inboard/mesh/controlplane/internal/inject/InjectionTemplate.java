package io.inboard.mesh.controlplane.internal.inject;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an injected pod gets, the shared INJECTED ENVIRONMENT contract: env for every container,
 * three volumes and their mounts. The addresses default to the control plane's Service in
 * {@code inboard-system}, as {@code inboardctl install} deploys it.
 *
 * @param controlPlaneAddress {@code INBOARD_CONTROL_PLANE}: xDS {@code host:port}
 * @param caAddress {@code CA_ADDR}: the CA's {@code host:port}
 * @param clusterId {@code CLUSTER_ID}
 */
public record InjectionTemplate(String controlPlaneAddress, String caAddress, String clusterId) {

  /** The control plane's Service, as {@code inboardctl install} names it. */
  public static final String SERVICE_HOST = "inboard-control-plane.inboard-system.svc";
  /** The contract's values. */
  public static final InjectionTemplate DEFAULT = new InjectionTemplate(SERVICE_HOST + ":15010",
      SERVICE_HOST + ":15012", "Kubernetes");

  /** The annotation that marks an injected pod, a JSON list of what the template adds. */
  public static final String STATUS_ANNOTATION = "inboard.io/status";
  static final String LABELS_VOLUME = "inboard-podinfo";
  static final String LABELS_DIR = "/etc/istio/pod";
  static final String TOKEN_VOLUME = "istio-token";
  static final String TOKEN_DIR = "/var/run/secrets/tokens";
  static final String ROOTS_VOLUME = "istiod-ca-cert";
  static final String ROOTS_DIR = "/var/run/secrets/istio";
  static final String ROOTS_CONFIG_MAP = "istio-ca-root-cert";

  public InjectionTemplate {
    requireNonNull(controlPlaneAddress, "controlPlaneAddress");
    requireNonNull(caAddress, "caAddress");
    requireNonNull(clusterId, "clusterId");
    for (String a : List.of(controlPlaneAddress, caAddress)) {
      if (!a.matches("[^:/\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException("address: '" + a + "' (expected: host:port, such as "
            + SERVICE_HOST + ":15010)");
      }
    }
  }

  /** The env of every container, in order, for a workload named {@code workloadName}. */
  List<Map<String, Object>> env(String workloadName) {
    List<Map<String, Object>> env = new ArrayList<>();
    env.add(value("INBOARD_CONTROL_PLANE", controlPlaneAddress));
    env.add(value("CA_ADDR", caAddress));
    env.add(field("POD_NAME", "metadata.name"));
    env.add(field("POD_NAMESPACE", "metadata.namespace"));
    env.add(field("SERVICE_ACCOUNT", "spec.serviceAccountName"));
    env.add(field("INSTANCE_IP", "status.podIP"));
    env.add(value("INBOARD_WORKLOAD_NAME", workloadName));
    env.add(value("CLUSTER_ID", clusterId));
    env.add(value("INBOARD_POD_LABELS_FILE", LABELS_DIR + "/labels"));
    env.add(value("INBOARD_IDENTITY_TOKEN_FILE", TOKEN_DIR + "/istio-token"));
    env.add(value("INBOARD_CA_ROOT_CERT", ROOTS_DIR + "/root-cert.pem"));
    return env;
  }

  /** The pod's volumes, in order. */
  List<Map<String, Object>> volumes() {
    Map<String, Object> labelsItem = map("path", "labels",
        "fieldRef", map("apiVersion", "v1", "fieldPath", "metadata.labels"));
    Map<String, Object> token = map("audience", "istio-ca", "expirationSeconds", 43200,
        "path", "istio-token");
    return List.of(
        map("name", LABELS_VOLUME, "downwardAPI", map("items", new ArrayList<>(List.of(labelsItem)))),
        map("name", TOKEN_VOLUME, "projected", map("sources",
            new ArrayList<>(List.of(map("serviceAccountToken", token))))),
        map("name", ROOTS_VOLUME, "configMap", map("name", ROOTS_CONFIG_MAP)));
  }

  /** Every container's mounts, in order. */
  List<Map<String, Object>> volumeMounts() {
    return List.of(
        map("name", LABELS_VOLUME, "mountPath", LABELS_DIR, "readOnly", true),
        map("name", TOKEN_VOLUME, "mountPath", TOKEN_DIR, "readOnly", true),
        map("name", ROOTS_VOLUME, "mountPath", ROOTS_DIR, "readOnly", true));
  }

  private static Map<String, Object> value(String name, String value) {
    return map("name", name, "value", value);
  }

  private static Map<String, Object> field(String name, String path) {
    return map("name", name, "valueFrom",
        map("fieldRef", map("apiVersion", "v1", "fieldPath", path)));
  }

  /** A fresh mutable map of alternating keys and values, in order. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
