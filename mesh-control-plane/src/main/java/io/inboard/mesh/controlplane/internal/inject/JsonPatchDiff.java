package io.inboard.mesh.controlplane.internal.inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 6902 JSON Patch computed as the difference of two documents (as Istio's webhook
 * does), so that the patch says exactly what the mutation changed. Objects are compared key by
 * key: a key only in the new document is added whole (a list or map that was absent is added in
 * one operation), a key only in the old one is removed. Lists are compared index by index:
 * changed elements are diffed, new trailing elements added at their index, dropped trailing
 * elements removed from the end. Other changes are replaced. Paths are JSON Pointers (RFC 6901:
 * {@code ~} as {@code ~0}, {@code /} as {@code ~1}).
 */
final class JsonPatchDiff {
  private JsonPatchDiff() {}

  /** The operations that turn {@code before} into {@code after}, in order. */
  static List<Map<String, Object>> diff(Object before, Object after) {
    List<Map<String, Object>> ops = new ArrayList<>();
    diff("", before, after, ops);
    return ops;
  }

  /** {@code token} escaped for a JSON Pointer. */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static void diff(String path, Object before, Object after,
      List<Map<String, Object>> ops) {
    if (Objects.equals(before, after)) {
      return;
    }
    if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
      for (Object key : b.keySet()) {
        if (!a.containsKey(key)) {
          ops.add(op("remove", path + "/" + escape(String.valueOf(key)), null));
        }
      }
      for (Map.Entry<?, ?> e : a.entrySet()) {
        String child = path + "/" + escape(String.valueOf(e.getKey()));
        if (!b.containsKey(e.getKey())) {
          ops.add(op("add", child, e.getValue()));
        } else {
          diff(child, b.get(e.getKey()), e.getValue(), ops);
        }
      }
      return;
    }
    if (before instanceof List<?> b && after instanceof List<?> a) {
      int common = Math.min(b.size(), a.size());
      for (int i = 0; i < common; i++) {
        diff(path + "/" + i, b.get(i), a.get(i), ops);
      }
      for (int i = common; i < a.size(); i++) {
        ops.add(op("add", path + "/" + i, a.get(i)));
      }
      for (int i = b.size() - 1; i >= common; i--) {
        ops.add(op("remove", path + "/" + i, null));
      }
      return;
    }
    ops.add(op("replace", path, after));
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    if (!op.equals("remove")) {
      m.put("value", value);
    }
    return m;
  }
}
