package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of an object that install writes, as plain maps and lists, for comparing what
 * install would send with what a cluster holds: the whole object except {@code status}, the
 * metadata the server sets (uid, resourceVersion, generation, timestamps, managed fields), the
 * webhooks' {@code clientConfig.caBundle} (the control plane's), and empty values.
 */
final class AppliedFields {
  private static final Set<String> METADATA_KEPT = Set.of("name", "namespace", "labels",
      "annotations");

  private AppliedFields() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> of(HasMetadata o) {
    Map<String, Object> m = ManifestDocuments.SERIALIZATION.convertValue(o, Map.class);
    m.remove("status");
    Object metadata = m.get("metadata");
    if (metadata instanceof Map<?, ?> md) {
      md.keySet().removeIf(k -> !METADATA_KEPT.contains(k));
    }
    if ("MutatingWebhookConfiguration".equals(m.get("kind"))
        && m.get("webhooks") instanceof List<?> webhooks) {
      for (Object w : webhooks) {
        if (w instanceof Map<?, ?> wm && wm.get("clientConfig") instanceof Map<?, ?> cc) {
          cc.remove("caBundle");
        }
      }
    }
    return (Map<String, Object>) prune(m);
  }

  /** Drops nulls and empty maps and lists, which the server and a template may spell apart. */
  private static Object prune(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = prune(e.getValue());
        if (!empty(v)) {
          out.put(e.getKey(), v);
        }
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new java.util.ArrayList<>();
      for (Iterator<?> it = list.iterator(); it.hasNext();) {
        out.add(prune(it.next()));
      }
      return out;
    }
    return value;
  }

  private static boolean empty(Object v) {
    return v == null || (v instanceof Map<?, ?> m && m.isEmpty())
        || (v instanceof Collection<?> c && c.isEmpty());
  }
}
