package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.api.internal.telemetry.policy.TelemetryCompilation;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryCompiler;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryException;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Telemetry: its scope ({@code selector.matchLabels}, or {@code targetRef(s)} naming
 * Services), then the workloads' own compiler on the one resource, so that what is accepted
 * here is what every workload can compile. A compiler error rejects the resource, naming the
 * field; each field the compiler cannot honour becomes a warning.
 *
 * <p>A target other than a Service (a Gateway, a ServiceEntry) cannot be honoured: Inboard has
 * no gateways or waypoints. A Telemetry with no Service target left is stored but applied to no
 * workload, with a warning.
 */
final class TelemetryParser {
  private TelemetryParser() {}

  static ParsedResource parse(ResourceId id, String apiVersion, Node spec,
      Optional<Instant> created, List<TraceExporter> exporters) {
    if (spec.present() && !(spec.value() instanceof Map)) {
      throw spec.fail("a mapping");
    }
    List<Diagnostic> diagnostics = new ArrayList<>();
    Node selector = spec.get("selector");
    for (String key : selector.keys()) {
      if (!key.equals("matchLabels")) {
        throw new FieldException(selector.get(key).path(),
            "not a field of WorkloadSelector (expected: matchLabels)");
      }
    }
    Map<String, String> labels = selector.get("matchLabels").stringMap();
    boolean single = spec.get("targetRef").present();
    Node targets = single ? spec.get("targetRef") : spec.get("targetRefs");
    if (single && spec.get("targetRefs").present()) {
      throw spec.get("targetRefs").fail("absent when targetRef is set (use one of them)");
    }
    if (selector.present() && targets.present()) {
      throw targets.fail("absent when selector is set (Istio: only one of selector, targetRef"
          + " or targetRefs)");
    }
    List<String> services = new ArrayList<>();
    List<Node> refs = single ? List.of(targets) : targets.list();
    for (Node ref : refs) {
      for (String key : ref.keys()) {
        if (!Set.of("group", "kind", "name", "namespace").contains(key)) {
          throw new FieldException(ref.get(key).path(), "not a field of PolicyTargetReference"
              + " (expected one of [group, kind, name, namespace])");
        }
      }
      String group = ref.get("group").optString().orElse("");
      String kind = ref.get("kind").string();
      String name = ref.get("name").string();
      String namespace = ref.get("namespace").optString().orElse(id.namespace());
      if (!namespace.equals(id.namespace())) {
        throw ref.get("namespace").fail("'" + id.namespace() + "', the Telemetry's own"
            + " namespace (as Istio)");
      }
      if (kind.equals("Service") && (group.isEmpty() || group.equals("core"))) {
        services.add(name);
      } else {
        diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, id, ref.path(), "not"
            + " applied: " + (group.isEmpty() ? "" : group + "/") + kind + " " + name
            + " is a gateway or waypoint target, which Inboard does not have (expected: kind"
            + " Service, or selector.matchLabels)"));
      }
    }
    Map<String, Object> tree = spec.present() ? JsonTree.mapping(spec.value()) : Map.of();
    TelemetrySource source = new TelemetrySource(id.namespace(), id.name(), tree);
    try {
      TelemetryCompilation compiled =
          TelemetryCompiler.compileWithWarnings(List.of(source), exporters);
      compiled.warnings().forEach(w -> diagnostics.add(
          new Diagnostic(Diagnostic.Severity.WARNING, id, w.field(), w.detail())));
    } catch (TelemetryException e) {
      String prefix = e.resource() + ": " + e.field() + ": ";
      String detail = e.getMessage().startsWith(prefix)
          ? e.getMessage().substring(prefix.length()) : e.getMessage();
      throw new FieldException(e.field(), detail);
    }
    if (targets.present() && services.isEmpty()) {
      return new ParsedResource.Stored(id, apiVersion, diagnostics);
    }
    return new ParsedResource.Telemetry(id, labels, services, source, created, diagnostics);
  }
}
