package io.inboard.mesh.controlplane.internal.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns traffic rows into a workload graph as Kiali's {@code populateTrafficMap} and appenders
 * do:
 *
 * <ol>
 *   <li>The source node is the caller's workload ({@code unknown} for callers outside the mesh);
 *       a row naming a source namespace but neither workload nor app is bad telemetry and
 *       dropped.
 *   <li>The destination node is the server's workload; when the workload is unknown (the
 *       request failed before reaching one, as a client-side fault abort) it is the service.
 *   <li>A row adds to the edge (source, destination, protocol) unless a row with the same
 *       source, destination, code, flags and host already did: the destination and source
 *       reporters both report most requests, and rows come destination first.
 *   <li>mTLS: the share of destination-reported requests with
 *       {@code connection_security_policy="mutual_tls"}; p95: from the latency rows.
 * </ol>
 *
 * Labels Inboard does not emit yet ({@code *_canonical_service}, {@code *_canonical_revision},
 * {@code *_cluster}) may be absent; app and version then come from {@code *_app} and
 * {@code *_version}, or from the workloads known to the control plane.
 */
final class GraphAssembler {
  private static final Pattern IP_ADDRESS = Pattern.compile("^\\d+\\.\\d+\\.\\d+\\.\\d+(:\\d+)?$");

  /** The {@code app} and {@code version} labels of a workload. */
  record AppVersion(String app, String version) {}

  /** What the control plane knows of the workloads' labels, from their node metadata. */
  interface KnownWorkloads {
    Optional<AppVersion> find(String namespace, String workload);
  }

  private final KnownWorkloads known;
  private final Map<String, GraphNode> nodes = new TreeMap<>();
  private final Map<String, EdgeTotals> edges = new LinkedHashMap<>();
  private final Set<String> applied = new HashSet<>();
  private final Map<String, double[]> security = new HashMap<>();
  private final Map<String, Double> latency = new HashMap<>();

  GraphAssembler(KnownWorkloads known) {
    this.known = known;
  }

  /** Adds a node that sent and received nothing (a connected workload), unless present. */
  GraphAssembler idle(GraphNode node) {
    nodes.putIfAbsent(node.id(), node);
    return this;
  }

  ServiceGraph assemble(TrafficSnapshot snapshot) {
    snapshot.requests().forEach(this::addRequests);
    snapshot.security().forEach(this::addSecurity);
    List<TrafficRow> sourceReported = new ArrayList<>();
    for (TrafficRow r : snapshot.latencies()) {
      if (r.label("reporter").equals("source")) {
        sourceReported.add(r);
      } else {
        addLatency(r, false);
      }
    }
    sourceReported.forEach(r -> addLatency(r, true));
    List<GraphEdge> out = new ArrayList<>();
    Map<String, Map<String, Map<String, Double>>> inbound = new HashMap<>();
    for (EdgeTotals e : edges.values()) {
      String pair = e.source + " " + e.target;
      double[] tls = security.get(pair);
      double mtls = tls == null || tls[1] <= 0 ? Double.NaN : tls[0] / tls[1] * 100;
      out.add(e.edge(latency.getOrDefault(pair, Double.NaN), mtls));
      Map<String, Double> codes = inbound.computeIfAbsent(e.target, t -> new HashMap<>())
          .computeIfAbsent(e.protocol, p -> new HashMap<>());
      e.codes.forEach((code, c) -> codes.merge(code, c.rps, Double::sum));
    }
    out.sort(Comparator.comparing(GraphEdge::source).thenComparing(GraphEdge::target)
        .thenComparing(GraphEdge::protocol));
    Map<String, Health> health = new HashMap<>();
    for (String id : nodes.keySet()) {
      Health h = Health.HEALTHY;
      for (Map.Entry<String, Map<String, Double>> p
          : inbound.getOrDefault(id, Map.of()).entrySet()) {
        h = h.worst(Health.of(p.getKey(), p.getValue()));
      }
      health.put(id, h);
    }
    return new ServiceGraph(new ArrayList<>(nodes.values()), out, health);
  }

  private void addRequests(TrafficRow r) {
    if (!(r.value() > 0)) {
      return;
    }
    Optional<GraphNode> source = source(r);
    Optional<GraphNode> dest = destination(r);
    if (source.isEmpty() || dest.isEmpty()) {
      return;
    }
    String protocol = r.label("request_protocol").isEmpty() ? "http" : r.label("request_protocol");
    String code = Health.code(protocol, r.label("response_code"), r.label("grpc_response_status"));
    String flags = r.label("response_flags").isEmpty() ? "-" : r.label("response_flags");
    String host = r.label("destination_service");
    if (!applied.add(String.join("\n", source.get().id(), dest.get().id(), code, flags, host))) {
      return; // the other reporter's view of requests already counted
    }
    nodes.putIfAbsent(source.get().id(), source.get());
    nodes.putIfAbsent(dest.get().id(), dest.get());
    edges.computeIfAbsent(source.get().id() + " " + dest.get().id() + " " + protocol,
        k -> new EdgeTotals(source.get().id(), dest.get().id(), protocol))
        .add(code, flags, r.value(), r.count());
  }

  private void addSecurity(TrafficRow r) {
    Optional<GraphNode> source = source(r);
    Optional<GraphNode> dest = destination(r);
    if (source.isEmpty() || dest.isEmpty() || !(r.value() > 0)) {
      return;
    }
    double[] tls = security.computeIfAbsent(source.get().id() + " " + dest.get().id(),
        k -> new double[2]);
    if (r.label("connection_security_policy").equals("mutual_tls")) {
      tls[0] += r.value();
    }
    tls[1] += r.value();
  }

  private void addLatency(TrafficRow r, boolean onlyIfMissing) {
    Optional<GraphNode> source = source(r);
    Optional<GraphNode> dest = destination(r);
    if (source.isEmpty() || dest.isEmpty() || Double.isNaN(r.value())) {
      return;
    }
    String pair = source.get().id() + " " + dest.get().id();
    if (onlyIfMissing) {
      latency.putIfAbsent(pair, r.value());
    } else {
      // several rows of one edge (app versions, clusters): the slowest stands for the edge
      latency.merge(pair, r.value(), Math::max);
    }
  }

  private Optional<GraphNode> source(TrafficRow r) {
    String ns = r.label("source_workload_namespace");
    String workload = r.label("source_workload");
    String app = first(r, "source_canonical_service", "source_app");
    if (!ok(workload)) {
      if (ok(ns) && !ok(app)) {
        return Optional.empty(); // Kiali's bad source telemetry
      }
      if (!ok(ns)) {
        return Optional.of(GraphNode.unknown());
      }
      workload = app;
    }
    return Optional.of(workload(ns, workload, app, version(r, "source_")));
  }

  private Optional<GraphNode> destination(TrafficRow r) {
    String workload = r.label("destination_workload");
    String serviceNs = r.label("destination_service_namespace");
    String serviceName = r.label("destination_service_name");
    if (ok(workload)) {
      String ns = ok(r.label("destination_workload_namespace"))
          ? r.label("destination_workload_namespace") : serviceNs;
      return Optional.of(workload(ns, workload,
          first(r, "destination_canonical_service", "destination_app"),
          version(r, "destination_")));
    }
    if (ok(serviceName)) {
      if (serviceName.equals(r.label("destination_service"))
          && IP_ADDRESS.matcher(serviceName).matches()) {
        return Optional.empty(); // Kiali's bad destination telemetry: an IP, no workload
      }
      return Optional.of(GraphNode.service(ok(serviceNs) ? serviceNs : "unknown", serviceName));
    }
    return Optional.of(GraphNode.unknown());
  }

  private GraphNode workload(String ns, String workload, String app, String version) {
    if (!ok(app) || !ok(version)) {
      Optional<AppVersion> k = known.find(ns, workload);
      if (k.isPresent()) {
        app = ok(app) ? app : k.get().app();
        version = ok(version) ? version : k.get().version();
      }
    }
    return GraphNode.workload(ns, workload, ok(app) ? app : "", ok(version) ? version : "");
  }

  private static String version(TrafficRow r, String prefix) {
    String revision = r.label(prefix + "canonical_revision");
    String version = r.label(prefix + "version");
    // "latest" is the default revision Istio fills in, so a real version label says more
    return ok(revision) && !revision.equals("latest") ? revision : ok(version) ? version
        : ok(revision) ? revision : "";
  }

  private static String first(TrafficRow r, String preferred, String fallback) {
    return ok(r.label(preferred)) ? r.label(preferred) : r.label(fallback);
  }

  static boolean ok(String v) {
    return v != null && !v.isEmpty() && !v.equals("unknown");
  }

  /** What the rows of one edge add up to. */
  private static final class EdgeTotals {
    final String source;
    final String target;
    final String protocol;
    final Map<String, Code> codes = new TreeMap<>();

    EdgeTotals(String source, String target, String protocol) {
      this.source = source;
      this.target = target;
      this.protocol = protocol;
    }

    void add(String code, String flags, double rps, double count) {
      Code c = codes.computeIfAbsent(code, k -> new Code());
      c.rps += rps;
      c.count += count;
      c.flags.merge(flags, rps, Double::sum);
    }

    GraphEdge edge(double p95, double mtls) {
      double rps = 0;
      double count = 0;
      double errors = 0;
      Map<String, Double> byCode = new HashMap<>();
      Map<String, GraphEdge.CodeTraffic> responses = new TreeMap<>();
      for (Map.Entry<String, Code> e : codes.entrySet()) {
        Code c = e.getValue();
        rps += c.rps;
        count += c.count;
        if (Health.isError(protocol, e.getKey())) {
          errors += c.rps;
        }
        byCode.put(e.getKey(), c.rps);
        responses.put(e.getKey(), new GraphEdge.CodeTraffic(c.rps, c.flags));
      }
      return new GraphEdge(source, target, protocol, rps, count,
          rps > 0 ? errors / rps * 100 : 0, p95, mtls, Health.of(protocol, byCode), responses);
    }
  }

  private static final class Code {
    double rps;
    double count;
    final Map<String, Double> flags = new TreeMap<>();
  }
}
