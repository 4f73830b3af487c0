package io.inboard.mesh.api.internal.telemetry.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Istio's {@code providers: [{name: ...}]}, as the names in order. */
final class ProviderNames {
  private ProviderNames() {}

  static List<String> of(SpecField providers) {
    List<String> names = new ArrayList<>();
    for (SpecField p : providers.list()) {
      p.onlyKeys(Set.of("name"));
      names.add(p.get("name").name());
    }
    return List.copyOf(names);
  }
}
