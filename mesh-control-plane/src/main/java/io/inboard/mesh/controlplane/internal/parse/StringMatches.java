package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.internal.model.StringMatch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reads Istio's {@code StringMatch}: exactly one of {@code exact}, {@code prefix}, {@code regex}. */
public final class StringMatches {
  private static final Set<String> KINDS = Set.of("exact", "prefix", "regex");

  private StringMatches() {}

  static StringMatch parse(Node node) {
    Set<String> keys = node.keys();
    if (keys.size() != 1 || !KINDS.contains(keys.iterator().next())) {
      throw node.fail("exactly one of exact, prefix, regex");
    }
    String kind = keys.iterator().next();
    Node v = node.get(kind);
    String text = v.string();
    return switch (kind) {
      case "exact" -> new StringMatch.Exact(text);
      case "prefix" -> new StringMatch.Prefix(text);
      default -> regex(v, text);
    };
  }

  /** A map of names (headers, query parameters) to matches. */
  static Map<String, StringMatch> parseMap(Node node) {
    Map<String, StringMatch> out = new LinkedHashMap<>();
    for (String name : node.keys()) {
      out.put(name, parse(node.get(name)));
    }
    return out;
  }

  private static StringMatch regex(Node v, String text) {
    try {
      return StringMatch.Regex.of(v.path(), text);
    } catch (IllegalArgumentException e) {
      throw v.fail("a valid regular expression");
    }
  }
}
