package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource the control plane holds, as it was written, with what was found about it.
 *
 * @param id its kind, namespace and name
 * @param document the document as applied (YAML mappings, lists and scalars)
 * @param diagnostics its warnings and not-served notes (never errors: those are rejected)
 */
public record StoredResource(ResourceId id, Map<String, Object> document,
    List<Diagnostic> diagnostics) {
  public StoredResource {
    requireNonNull(id, "id");
    document = Collections.unmodifiableMap(new LinkedHashMap<>(document));
    diagnostics = List.copyOf(diagnostics);
  }
}
