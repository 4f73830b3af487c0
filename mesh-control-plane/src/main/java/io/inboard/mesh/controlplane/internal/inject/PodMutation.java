package io.inboard.mesh.controlplane.internal.inject;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutation of an injected pod, in place: no container is added (pods stay 1/1). Every
 * container gets the template's env after its own (a variable the container already sets is
 * left as the application set it) and the mounts (unless one of that name or path is there);
 * the pod gets the volumes (unless one of that name is there), the status annotation, Istio's
 * canonical labels when absent ({@code service.istio.io/canonical-name} from
 * {@code app.kubernetes.io/name}, {@code app}, else the workload name;
 * {@code service.istio.io/canonical-revision} from {@code app.kubernetes.io/version},
 * {@code version}, else {@code latest}) and {@code security.istio.io/tlsMode: istio}, which
 * makes the control plane's auto-mTLS treat the pod's endpoints as mesh workloads. Init
 * containers are left alone: the library runs in the application's containers.
 */
final class PodMutation {
  static final String CANONICAL_NAME = "service.istio.io/canonical-name";
  static final String CANONICAL_REVISION = "service.istio.io/canonical-revision";
  static final String TLS_MODE = io.inboard.mesh.api.internal.MeshXdsNames.TLS_MODE_LABEL;
  static final String TLS_MODE_ISTIO = io.inboard.mesh.api.internal.MeshXdsNames.TLS_MODE_ISTIO;

  private final InjectionTemplate template;
  private final String status;

  PodMutation(InjectionTemplate template) {
    this.template = template;
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("env", template.env("").stream().map(e -> e.get("name")).toList());
    s.put("volumes", template.volumes().stream().map(v -> v.get("name")).toList());
    this.status = new Gson().toJson(s);
  }

  /** Mutates {@code pod} (its {@code metadata} and {@code spec}) for {@code workloadName}. */
  void apply(Map<String, Object> pod, String workloadName) {
    Map<String, Object> metadata = Trees.mapOrCreate(pod, "metadata");
    Map<String, Object> spec = Trees.mapOrCreate(pod, "spec");
    Map<String, Object> labels = Trees.mapOrCreate(metadata, "labels");
    if (!labels.containsKey(CANONICAL_NAME)) {
      labels.put(CANONICAL_NAME, first(labels, workloadName, "app.kubernetes.io/name", "app"));
    }
    if (!labels.containsKey(CANONICAL_REVISION)) {
      labels.put(CANONICAL_REVISION,
          first(labels, "latest", "app.kubernetes.io/version", "version"));
    }
    labels.putIfAbsent(TLS_MODE, TLS_MODE_ISTIO);
    Trees.mapOrCreate(metadata, "annotations").put(InjectionTemplate.STATUS_ANNOTATION, status);

    List<Object> containers = Trees.list(spec, "containers");
    for (Object c : containers == null ? List.of() : containers) {
      if (c instanceof Map<?, ?> raw) {
        @SuppressWarnings("unchecked")
        Map<String, Object> container = (Map<String, Object>) raw;
        addEnv(container, workloadName);
        addMounts(container);
      }
    }
    List<Object> volumes = Trees.listOrCreate(spec, "volumes");
    for (Map<String, Object> v : template.volumes()) {
      if (!containsWith(volumes, "name", v.get("name"))) {
        volumes.add(v);
      }
    }
  }

  private void addEnv(Map<String, Object> container, String workloadName) {
    List<Object> env = Trees.list(container, "env");
    List<Object> added = new ArrayList<>();
    for (Map<String, Object> e : template.env(workloadName)) {
      if (env == null || !containsWith(env, "name", e.get("name"))) {
        added.add(e);
      }
    }
    if (!added.isEmpty()) {
      Trees.listOrCreate(container, "env").addAll(added);
    }
  }

  private void addMounts(Map<String, Object> container) {
    List<Object> mounts = Trees.list(container, "volumeMounts");
    List<Object> added = new ArrayList<>();
    for (Map<String, Object> m : template.volumeMounts()) {
      if (mounts == null || !containsWith(mounts, "name", m.get("name"))
          && !containsWith(mounts, "mountPath", m.get("mountPath"))) {
        added.add(m);
      }
    }
    if (!added.isEmpty()) {
      Trees.listOrCreate(container, "volumeMounts").addAll(added);
    }
  }

  private static boolean containsWith(List<Object> items, String key, Object value) {
    for (Object o : items) {
      if (o instanceof Map<?, ?> m && value.equals(m.get(key))) {
        return true;
      }
    }
    return false;
  }

  private static String first(Map<String, Object> labels, String otherwise, String... keys) {
    for (String k : keys) {
      if (labels.get(k) instanceof String v && !v.isEmpty()) {
        return v;
      }
    }
    return otherwise;
  }
}
