package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.telemetry.TelemetryMeshConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Telemetries in force, and which apply to a workload, by Istio's rule ({@code
 * Telemetries.applicableTelemetries}): at most one per level, in precedence order,
 *
 * <ol>
 *   <li>the root namespace's first Telemetry without selector or target (mesh-wide);
 *   <li>for a workload outside the root namespace, its namespace's first one without selector
 *       or target;
 *   <li>its namespace's first one whose {@code selector.matchLabels} the workload carries, or
 *       (Inboard's reading of {@code targetRefs} for proxyless workloads) that targets a
 *       Service the workload is an endpoint of.
 * </ol>
 *
 * "First" is oldest by {@code creationTimestamp}, then by name, as Istio sorts them; resources
 * without a time (local mode) sort by name. The mesh config's default providers come before
 * all of them, as a source of their own (see {@link TelemetryMeshConfig#defaults}).
 */
public final class TelemetryScopes {
  private static final Comparator<ParsedResource.Telemetry> ORDER = Comparator
      .comparing((ParsedResource.Telemetry t) -> t.created().orElse(Instant.MIN))
      .thenComparing(t -> t.id().name());

  private final String rootNamespace;
  private final String clusterDomain;
  private final TelemetryMeshConfig mesh;
  private final List<ParsedResource.Telemetry> all = new ArrayList<>();
  private final List<ServiceEndpoint> endpoints;

  /**
   * @param resources the accepted resources; kinds other than Telemetry are skipped
   * @param endpoints the registered endpoints, which say which workloads a Service has
   */
  public TelemetryScopes(List<ParsedResource> resources, List<ServiceEndpoint> endpoints,
      String rootNamespace, String clusterDomain, TelemetryMeshConfig mesh) {
    this.rootNamespace = rootNamespace;
    this.clusterDomain = clusterDomain;
    this.mesh = mesh;
    this.endpoints = List.copyOf(endpoints);
    for (ParsedResource r : resources) {
      if (r instanceof ParsedResource.Telemetry t) {
        all.add(t);
      }
    }
    all.sort(ORDER);
  }

  /** The mesh config's tracing providers, which every workload is sent. */
  public List<TraceExporter> exporters() {
    return mesh.tracingProviders();
  }

  /**
   * The Telemetries that apply to a workload of {@code namespace} with {@code labels}, in
   * precedence order (a later one overrides an earlier one), with the mesh config's defaults
   * first.
   */
  public List<TelemetrySource> forWorkload(String namespace, Map<String, String> labels) {
    List<TelemetrySource> out = new ArrayList<>();
    namespaceWide(rootNamespace).ifPresent(t -> out.add(t.source()));
    if (!namespace.equals(rootNamespace)) {
      namespaceWide(namespace).ifPresent(t -> out.add(t.source()));
    }
    all.stream().filter(t -> t.id().namespace().equals(namespace) && !t.namespaceWide()
        && selects(t, namespace, labels)).findFirst().ifPresent(t -> out.add(t.source()));
    boolean traces = out.stream().anyMatch(s -> s.spec().get("tracing") instanceof List<?> l
        && !l.isEmpty());
    mesh.defaults(rootNamespace, traces).ifPresent(d -> out.add(0, d));
    return List.copyOf(out);
  }

  private Optional<ParsedResource.Telemetry> namespaceWide(String namespace) {
    return all.stream().filter(t -> t.id().namespace().equals(namespace) && t.namespaceWide())
        .findFirst();
  }

  private boolean selects(ParsedResource.Telemetry t, String namespace,
      Map<String, String> labels) {
    if (!t.selector().isEmpty()) {
      return labels.entrySet().containsAll(t.selector().entrySet());
    }
    for (String service : t.targetServices()) {
      String host = service + "." + namespace + ".svc." + clusterDomain;
      for (ServiceEndpoint e : endpoints) {
        // an endpoint without labels cannot be told apart from other workloads
        if (e.host().equals(host) && !e.labels().isEmpty()
            && labels.entrySet().containsAll(e.labels().entrySet())) {
          return true;
        }
      }
    }
    return false;
  }
}
