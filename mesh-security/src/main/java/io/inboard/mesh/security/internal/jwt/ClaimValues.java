package io.inboard.mesh.security.internal.jwt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a token's claims into the plain JSON values that {@code RequestAuth} and headers read. */
final class ClaimValues {
  /** The claims Istio always splits on spaces into lists. */
  static final Set<String> ALWAYS_SPACE_DELIMITED = Set.of("scope", "permission");

  private ClaimValues() {}

  /**
   * {@code value} as an unmodifiable JSON value: maps with string keys, lists, strings, numbers
   * and booleans; a {@link Date} (nimbus' {@code exp}, {@code iat}, {@code nbf}) becomes epoch
   * seconds, and {@code null}s are dropped since {@code RequestAuth}'s collections refuse them.
   */
  static Object plain(Object value) {
    if (value instanceof Date date) {
      return date.getTime() / 1000;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((key, nested) -> {
        Object converted = plain(nested);
        if (converted != null) {
          out.put(String.valueOf(key), converted);
        }
      });
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object nested : list) {
        Object converted = plain(nested);
        if (converted != null) {
          out.add(converted);
        }
      }
      return Collections.unmodifiableList(out);
    }
    return value;
  }

  /** {@code text} split on spaces, empty parts dropped: {@code "read  write"} is [read, write]. */
  static List<String> splitOnSpaces(String text) {
    List<String> parts = new ArrayList<>();
    for (String part : text.split(" ")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return List.copyOf(parts);
  }

  /** The claim at a {@code .}-separated path of nested objects, or {@code null}. */
  static Object at(Map<String, Object> claims, List<String> path) {
    Object value = claims;
    for (String step : path) {
      if (!(value instanceof Map<?, ?> map)) {
        return null;
      }
      value = map.get(step);
    }
    return value;
  }

  /**
   * A claim as a header value: a string as is, a number or boolean as its JSON text. Anything
   * else (object, list, absent), and a string holding control characters (which would split or
   * corrupt the header), gives {@code null}: no header.
   */
  static String headerText(Object value) {
    if (value instanceof String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          return null;
        }
      }
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return null;
  }
}
