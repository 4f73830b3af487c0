package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Kubernetes {@code v1 Secret}: {@code data} (base64) and {@code stringData} (text, which
 * wins on a shared key, as the API server merges them). Secrets are where a DestinationRule's
 * {@code tls.credentialName} takes its certificates from; see {@code CredentialLookup}.
 *
 * <p>The document kept for display ({@link #redacted}) has every value replaced, so that
 * {@code inboardctl get} and the admin API never show key material.
 */
final class SecretParser {
  static final String REDACTED = "<redacted>";

  private SecretParser() {}

  static ParsedResource.Secret parse(ResourceId id, Node doc) {
    Map<String, String> data = new LinkedHashMap<>();
    Node encoded = doc.get("data");
    for (String key : encoded.keys()) {
      Node v = encoded.get(key);
      try {
        data.put(key, new String(Base64.getMimeDecoder().decode(text(v, "base64 text")),
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new FieldException(v.path(), "a value that is not base64 (" + e.getMessage()
            + "; expected: base64 text)");
      }
    }
    Node plain = doc.get("stringData");
    for (String key : plain.keys()) {
      data.put(key, text(plain.get(key), "text"));
    }
    return new ParsedResource.Secret(id, data, List.of());
  }

  /** {@code v}'s text; unlike {@link Node#fail}, an error never shows the value. */
  private static String text(Node v, String expected) {
    if (!(v.value() instanceof String s)) {
      throw new FieldException(v.path(), "a value that is not text (expected: " + expected
          + ")");
    }
    return s;
  }

  /** {@code doc} with the values of {@code data} and {@code stringData} replaced. */
  static Object redacted(Object doc) {
    if (!(doc instanceof Map<?, ?> m)) {
      return doc;
    }
    Map<Object, Object> out = new LinkedHashMap<>(m);
    for (String field : List.of("data", "stringData")) {
      if (out.get(field) instanceof Map<?, ?> values) {
        Map<Object, Object> hidden = new LinkedHashMap<>();
        values.keySet().forEach(k -> hidden.put(k, REDACTED));
        out.put(field, hidden);
      }
    }
    return out;
  }
}
