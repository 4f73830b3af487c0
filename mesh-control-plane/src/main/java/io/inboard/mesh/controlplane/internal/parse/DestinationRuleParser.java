package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ClientTls;
import io.inboard.mesh.controlplane.internal.model.DestinationPolicy;
import io.inboard.mesh.controlplane.internal.model.Hosts;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.Subset;
import io.inboard.mesh.controlplane.internal.model.TrafficPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Reads a DestinationRule's {@code spec} into the mesh-api destination model. */
public final class DestinationRuleParser {
  private final ResourceId id;
  private final String clusterDomain;
  private final Warnings warnings;

  DestinationRuleParser(ResourceId id, String clusterDomain) {
    this.id = id;
    this.clusterDomain = clusterDomain;
    this.warnings = new Warnings(id);
  }

  ParsedResource.DestinationRule parse(Node spec) {
    IstioFields.DESTINATION_RULE.check(spec, warnings);
    IstioFields.checkExportTo(spec.get("exportTo"), warnings);
    String host = Hosts.fqdn(spec.get("host").string(), id.namespace(), clusterDomain);
    TrafficPolicy hostPolicy = trafficPolicy(spec.get("trafficPolicy"));
    List<Subset> subsets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Node s : spec.get("subsets").list()) {
      IstioFields.SUBSET.check(s, warnings);
      String name = s.get("name").string();
      if (name.isBlank() || !names.add(name)) {
        throw s.get("name").fail("a non-empty name unique within the DestinationRule");
      }
      subsets.add(new Subset(name, s.get("labels").stringMap(),
          trafficPolicy(s.get("trafficPolicy"))));
    }
    return new ParsedResource.DestinationRule(id,
        new DestinationPolicy(host, hostPolicy, subsets), warnings.list());
  }

  private TrafficPolicy trafficPolicy(Node n) {
    if (!n.present()) {
      return TrafficPolicy.EMPTY;
    }
    IstioFields.TRAFFIC_POLICY.check(n, warnings);
    return new TrafficPolicy(
        LoadBalancerParser.parse(n.get("loadBalancer"), warnings),
        connectionPool(n.get("connectionPool")),
        outlierDetection(n.get("outlierDetection")),
        ClientTlsParser.parse(n.get("tls"), warnings),
        portTls(n.get("portLevelSettings")));
  }

  /** The {@code tls} of each {@code portLevelSettings} entry, by port number. */
  private Map<Integer, ClientTls> portTls(Node settings) {
    Map<Integer, ClientTls> out = new TreeMap<>();
    for (Node s : settings.list()) {
      IstioFields.PORT_TRAFFIC_POLICY.check(s, warnings);
      IstioFields.PORT_SELECTOR.check(s.get("port"), warnings);
      Node number = s.get("port").get("number");
      if (!number.present()) {
        throw new FieldException(number.path(), "missing (expected: the service port the"
            + " settings apply to)");
      }
      int port = number.integer(1, 65535, 0);
      // as Istio, the first entry of a port wins
      ClientTlsParser.parse(s.get("tls"), warnings).ifPresent(tls -> out.putIfAbsent(port, tls));
    }
    return out;
  }

  private Optional<ConnectionPoolSettings> connectionPool(Node n) {
    if (!n.present()) {
      return Optional.empty();
    }
    IstioFields.CONNECTION_POOL.check(n, warnings);
    ConnectionPoolSettings d = ConnectionPoolSettings.DEFAULT;
    Node tcp = n.get("tcp");
    Node http = n.get("http");
    IstioFields.TCP_SETTINGS.check(tcp, warnings);
    IstioFields.HTTP_SETTINGS.check(http, warnings);
    if (tcp.get("maxConnections").present()) {
      warnings.add(tcp.get("maxConnections").path(), "not meaningful for gRPC clients: they"
          + " multiplex every call over one HTTP/2 connection per endpoint; HTTP clients honour"
          + " it (as a bound on calls in flight, with http2MaxRequests)");
    }
    if (tcp.get("connectTimeout").present()) {
      warnings.add(tcp.get("connectTimeout").path(), "not honoured by gRPC clients: grpc-xds"
          + " ignores the Cluster's connect_timeout and uses its own connection backoff; HTTP"
          + " clients honour it");
    }
    if (http.get("maxRequestsPerConnection").present()) {
      warnings.add(http.get("maxRequestsPerConnection").path(), "honoured by gRPC clients (a"
          + " connection that carried that many calls is replaced by a fresh one once that is"
          + " ready) and by HTTP clients on the Netty transport (the ingress gateway's); HTTP"
          + " clients on the JDK transport (the default) reuse connections without limit");
    }
    if (http.get("idleTimeout").present()) {
      warnings.add(http.get("idleTimeout").path(), "honoured by gRPC clients and by HTTP clients"
          + " on the Netty transport (the ingress gateway's); HTTP clients on the JDK transport"
          + " (the default) close idle connections after the JDK's keep-alive time, one per JVM");
    }
    if (http.get("maxRetries").present()) {
      warnings.add(http.get("maxRetries").path(), "honoured by both planes, but on gRPC routes"
          + " without perTryTimeout (grpc's own retries) a call whose retry finds the budget"
          + " spent ends UNAVAILABLE (retry budget exhausted) rather than with its last try's"
          + " status, as Envoy and HTTP clients end it");
    }
    return Optional.of(new ConnectionPoolSettings(
        tcp.get("maxConnections").integer(1, Integer.MAX_VALUE, d.maxConnections()),
        http.get("http1MaxPendingRequests").integer(1, Integer.MAX_VALUE, d.maxPendingRequests()),
        http.get("http2MaxRequests").integer(1, Integer.MAX_VALUE, d.maxRequests()),
        http.get("maxRetries").integer(0, Integer.MAX_VALUE, d.maxRetries()),
        tcp.get("connectTimeout").duration().orElse(d.connectTimeout()),
        http.get("maxRequestsPerConnection").integer(0, Integer.MAX_VALUE,
            d.maxRequestsPerConnection()),
        http.get("idleTimeout").duration().or(d::idleTimeout)));
  }

  private Optional<OutlierDetectionPolicy> outlierDetection(Node n) {
    if (!n.present()) {
      return Optional.empty();
    }
    IstioFields.OUTLIER_DETECTION.check(n, warnings);
    OutlierDetectionPolicy d = OutlierDetectionPolicy.DEFAULT;
    // consecutiveErrors is the deprecated spelling of consecutive5xxErrors
    Node fiveXx = n.get("consecutive5xxErrors").present()
        ? n.get("consecutive5xxErrors") : n.get("consecutiveErrors");
    Duration interval = n.get("interval").duration().orElse(d.interval());
    Duration ejection = n.get("baseEjectionTime").duration().orElse(d.baseEjectionTime());
    OutlierDetectionPolicy od = new OutlierDetectionPolicy(
        fiveXx.integer(0, Integer.MAX_VALUE, d.consecutive5xxErrors()),
        n.get("consecutiveGatewayErrors").integer(0, Integer.MAX_VALUE, 0),
        interval, ejection,
        n.get("maxEjectionPercent").integer(0, 100, d.maxEjectionPercent()),
        Optional.empty(),
        // Istio's int32: unset reads as 0, which turns Envoy's panic mode off
        n.get("minHealthPercent").integer(0, 100, d.minHealthPercent()));
    return Optional.of(od);
  }
}
