package io.inboard.mesh.controlplane.internal.store;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Finds namespace-wide Telemetries (no selector, no target) that another one of the same
 * namespace shadows: Istio applies one per namespace, the oldest (then the first by name), and
 * ignores the others. Each ignored one gets a warning naming the one that applies.
 */
final class TelemetryConflicts {
  private static final Comparator<ParsedResource.Telemetry> ORDER = Comparator
      .comparing((ParsedResource.Telemetry t) -> t.created().orElse(Instant.MIN))
      .thenComparing(t -> t.id().name());

  private TelemetryConflicts() {}

  /** The warnings about the Telemetries among {@code about}, checked against {@code all}. */
  static List<Diagnostic> check(Collection<ParsedResource> about,
      Collection<ParsedResource> all) {
    List<Diagnostic> out = new ArrayList<>();
    for (ParsedResource r : about) {
      if (!(r instanceof ParsedResource.Telemetry t) || !t.namespaceWide()) {
        continue;
      }
      all.stream().filter(o -> o instanceof ParsedResource.Telemetry)
          .map(o -> (ParsedResource.Telemetry) o)
          .filter(o -> o.namespaceWide() && !o.id().equals(t.id())
              && o.id().namespace().equals(t.id().namespace()))
          .min(ORDER)
          .filter(first -> ORDER.compare(first, t) < 0)
          .ifPresent(first -> out.add(new Diagnostic(Diagnostic.Severity.WARNING, t.id(), "",
              "not applied: Telemetry " + first.id().namespace() + "/" + first.id().name()
                  + " is the namespace's Telemetry without selector (Istio applies one: the"
                  + " oldest, then the first by name)")));
    }
    return out;
  }
}
