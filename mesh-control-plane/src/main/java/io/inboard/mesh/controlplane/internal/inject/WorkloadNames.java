package io.inboard.mesh.controlplane.internal.inject;

import java.util.List;
import java.util.Map;

/**
 * The {@code INBOARD_WORKLOAD_NAME} of a pod as the API server sends it to the webhook (often
 * with {@code generateName} and no name yet), the way Istio's {@code GetDeployMetaFromPod}
 * finds the Deployment: a controller ReplicaSet's name without the pod's {@code
 * pod-template-hash} suffix (the Deployment's name; a ReplicaSet without that label keeps its
 * name); another controller's name (StatefulSet, DaemonSet, Job);
 * else {@code generateName} without its trailing {@code -} (and hash); else the pod's name.
 */
final class WorkloadNames {
  private static final String HASH_LABEL = "pod-template-hash";

  private WorkloadNames() {}

  static String forPod(Map<String, Object> metadata) {
    Map<String, Object> labels = Trees.map(metadata, "labels");
    String hash = labels == null || !(labels.get(HASH_LABEL) instanceof String h) ? "" : h;
    List<Object> owners = Trees.list(metadata, "ownerReferences");
    if (owners != null) {
      for (Object o : owners) {
        if (o instanceof Map<?, ?> raw && Boolean.TRUE.equals(raw.get("controller"))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> owner = (Map<String, Object>) raw;
          String name = Trees.string(owner, "name");
          if (name.isEmpty()) {
            break;
          }
          if ("ReplicaSet".equals(Trees.string(owner, "kind"))) {
            return withoutHash(name, hash);
          }
          return name;
        }
      }
    }
    String generateName = Trees.string(metadata, "generateName");
    if (!generateName.isEmpty()) {
      String base = generateName.endsWith("-")
          ? generateName.substring(0, generateName.length() - 1) : generateName;
      return !hash.isEmpty() && base.endsWith("-" + hash)
          ? base.substring(0, base.length() - hash.length() - 1) : base;
    }
    return Trees.string(metadata, "name");
  }

  /** A ReplicaSet's name without the hash its Deployment gave it. */
  private static String withoutHash(String replicaSet, String hash) {
    // as Istio: only a matching pod-template-hash says a Deployment made it; a ReplicaSet made
    // by hand keeps its whole name
    return !hash.isEmpty() && replicaSet.endsWith("-" + hash)
        ? replicaSet.substring(0, replicaSet.length() - hash.length() - 1) : replicaSet;
  }
}
