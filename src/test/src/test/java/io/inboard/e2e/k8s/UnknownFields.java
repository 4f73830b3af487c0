package io.inboard.e2e.k8s;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields of a manifest that Kubernetes would not know. fabric8's model never fails on
 * an unknown property: each class keeps them in {@code additionalProperties} (a
 * {@code @JsonAnySetter}), so a misspelt {@code readinesProbe} parses silently, and a real API
 * server would drop it (or reject it, with server-side field validation). Turning on
 * {@code FAIL_ON_UNKNOWN_PROPERTIES} in the (Jackson 3) mapper would change nothing for the same
 * reason, so this walks the typed object and reports every non-empty {@code additionalProperties}
 * with its path.
 */
final class UnknownFields {
  private static final String MODEL = "io.fabric8.kubernetes.api.model";

  private UnknownFields() {}

  /** The paths of unknown fields in {@code resource}, such as {@code spec.template.spec.foo}. */
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
      for (Method getter : getters(value.getClass())) {
        Object property = invoke(getter, value);
        String name = propertyName(getter);
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

  private static List<Method> getters(Class<?> type) {
    List<Method> out = new ArrayList<>();
    for (Method m : type.getMethods()) {
      boolean getter = m.getName().startsWith("get") && m.getName().length() > 3
          || m.getName().startsWith("is") && m.getReturnType() == boolean.class;
      if (getter && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
          && !m.getName().equals("getClass")) {
        out.add(m);
      }
    }
    return out;
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + getter, e);
    }
  }

  private static String propertyName(Method getter) {
    String n = getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
    return Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
