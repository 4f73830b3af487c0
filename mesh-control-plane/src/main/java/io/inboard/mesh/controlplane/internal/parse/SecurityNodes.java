package io.inboard.mesh.controlplane.internal.parse;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of the values security.istio.io resources share, with Istio's rules. */
public final class SecurityNodes {

  private SecurityNodes() {}

  /** A required, non-empty string. */
  static String required(Node n, String expected) {
    String s = n.present() ? n.string() : "";
    if (s.isBlank()) {
      throw n.present() ? n.fail(expected) : new FieldException(n.path(),
          "missing (expected: " + expected + ")");
    }
    return s;
  }

  /** An optional value that must be one of {@code allowed}; returns it, or {@code ""}. */
  static String oneOf(Node n, List<String> allowed) {
    String s = n.optString().orElse("");
    if (n.present() && !allowed.contains(s)) {
      throw n.fail("one of " + String.join(", ", allowed));
    }
    return s;
  }

  /** A list of non-empty strings; empty when absent. */
  static List<String> strings(Node n) {
    List<String> out = new ArrayList<>();
    for (Node e : n.list()) {
      out.add(required(e, "a non-empty string"));
    }
    return out;
  }

  /** An optional boolean, written as YAML true or false. */
  static void bool(Node n) {
    if (n.present() && !(n.value() instanceof Boolean)) {
      throw n.fail("true or false");
    }
  }

  /**
   * Checks a WorkloadSelector: label keys must be non-empty and, as in Istio, values may not
   * hold a wildcard.
   */
  static void selector(Node selector, Warnings warnings) {
    if (!selector.present()) {
      return;
    }
    SecurityFields.WORKLOAD_SELECTOR.check(selector, warnings);
    Node labels = selector.get("matchLabels");
    for (String key : labels.keys()) {
      Node value = labels.get(key);
      if (key.isBlank()) {
        throw new FieldException(labels.path(), "'" + key + "' as a label key (expected: a"
            + " non-empty label key)");
      }
      // Kubernetes labels are strings: a number or a mapping here is a mistake, not a label
      if (!(value.value() instanceof String v) || v.contains("*")) {
        throw value.fail("a label value written as a string, without wildcards");
      }
    }
  }

  /** Whether the WorkloadSelector {@code selector} names at least one label. */
  static boolean selects(Node selector) {
    return !selector.get("matchLabels").keys().isEmpty();
  }

  /**
   * Checks {@code targetRef}, {@code targetRefs} and {@code selector} of {@code spec}: each
   * reference names a kind and a name, and, as Istio requires, at most one of the three is set.
   */
  static void targets(Node spec, Warnings warnings) {
    selector(spec.get("selector"), warnings);
    List<Node> refs = new ArrayList<>(spec.get("targetRefs").list());
    if (spec.get("targetRef").present()) {
      refs.add(0, spec.get("targetRef"));
    }
    for (Node ref : refs) {
      SecurityFields.TARGET_REF.check(ref, warnings);
      required(ref.get("kind"), "a kind such as Gateway or Service");
      required(ref.get("name"), "the name of the target");
    }
    int set = (spec.get("selector").present() ? 1 : 0)
        + (spec.get("targetRef").present() ? 1 : 0)
        + (spec.get("targetRefs").present() ? 1 : 0);
    if (set > 1) {
      Node second = spec.get("targetRef").present() ? spec.get("targetRef")
          : spec.get("targetRefs");
      throw second.fail("only one of selector, targetRef and targetRefs");
    }
  }

  /** An absolute http or https URI with a host, as Envoy fetches JWKS from. */
  static void httpUri(Node n) {
    String s = n.string();
    try {
      URI uri = new URI(s);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below with the value
    }
    throw n.fail("an http or https URI such as https://example.com/.well-known/jwks.json");
  }
}
