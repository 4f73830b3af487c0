package io.inboard.mesh.controlplane.internal.install;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields of a parsed manifest that Kubernetes would not know. fabric8's model never fails on
 * an unknown property: each class keeps it in {@code additionalProperties} (a
 * {@code @JsonAnySetter}), so Jackson's {@code FAIL_ON_UNKNOWN_PROPERTIES} changes nothing and a
 * misspelt field parses silently. This walks the typed object and reports every non-empty
 * {@code additionalProperties} with its path (as the e2e suite's check of the bookinfo files).
 */
final class UnknownFields {
  private static final String MODEL = "io.fabric8.kubernetes.api.model";

  private UnknownFields() {}

  static List<String> in(Object resource) {
    List<String> found = new ArrayList<>();
    walk(resource, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
    } else if (value != null && value.getClass().getName().startsWith(MODEL)) {
      for (Method getter : value.getClass().getMethods()) {
        String n = getter.getName();
        boolean isGetter = (n.startsWith("get") && n.length() > 3
            || n.startsWith("is") && getter.getReturnType() == boolean.class)
            && getter.getParameterCount() == 0 && !Modifier.isStatic(getter.getModifiers())
            && !n.equals("getClass");
        if (!isGetter) {
          continue;
        }
        Object property;
        try {
          property = getter.invoke(value);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + getter, e);
        }
        String name = Character.toLowerCase(n.charAt(n.startsWith("is") ? 2 : 3))
            + n.substring(n.startsWith("is") ? 3 : 4);
        if (name.equals("additionalProperties")) {
          if (property != null) {
            ((Map<?, ?>) property).keySet().forEach(k -> found.add(join(path, k.toString())));
          }
        } else {
          walk(property, join(path, name), found);
        }
      }
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
