package io.inboard.benchmarks;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.util.Map;

/**
 * The one service every client calls, and the config changes made to it. It has endpoints in two
 * subsets (v1, v2), a DestinationRule defining them and a VirtualService splitting traffic by
 * weight, so that each client holds a listener, a route, clusters and endpoints: all four xDS
 * types.
 */
final class BenchService {
  static final String NAME = "bench";
  static final String HOST = NAME + ".default.svc.cluster.local";

  private final ControlPlane cp;
  private final int port;
  private final ServiceEndpoint extra;

  /**
   * @param base the endpoints always registered, alternately v1 and v2
   * @param extra the address the EDS change adds and takes away again
   */
  BenchService(ControlPlane cp, int port, Iterable<String> base, String extra) {
    this.cp = cp;
    this.port = port;
    int i = 0;
    for (String address : base) {
      cp.register(endpoint(address, i++ % 2 == 0 ? "v1" : "v2"));
    }
    this.extra = endpoint(extra, "v1");
    destinationRule(100);
    virtualService(50);
  }

  /** The channel target clients use. */
  String target() {
    return "xds:///" + HOST + ":" + port;
  }

  /** EDS: adds the extra endpoint. */
  void addEndpoint() {
    cp.register(extra);
  }

  /** EDS: removes the extra endpoint again (unmeasured: it resets for the next addition). */
  void removeEndpoint() {
    cp.deregister(extra);
  }

  /** RDS: the VirtualService with {@code v1Weight}% to v1 and the rest to v2. */
  void virtualService(int v1Weight) {
    check(cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %s}
        spec:
          hosts: [%s]
          http:
          - route:
            - destination: {host: %s, subset: v1}
              weight: %d
            - destination: {host: %s, subset: v2}
              weight: %d
        """.formatted(NAME, NAME, NAME, v1Weight, NAME, 100 - v1Weight)));
  }

  /**
   * CDS: the DestinationRule with {@code maxRequests} as its connection-pool limit, which becomes
   * every cluster's {@code circuit_breakers.max_requests}.
   */
  void destinationRule(int maxRequests) {
    check(cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s}
        spec:
          host: %s
          trafficPolicy:
            connectionPool: {http: {http2MaxRequests: %d}}
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """.formatted(NAME, NAME, maxRequests)));
  }

  private ServiceEndpoint endpoint(String address, String version) {
    return new ServiceEndpoint(HOST, port, address, Map.of("app", NAME, "version", version));
  }

  private static void check(Diagnostics d) {
    // a rejected change would never be ACKed, and the benchmark would time out for no clear reason
    if (d.hasErrors() || !d.all().isEmpty()) {
      throw new IllegalStateException("benchmark config not applied cleanly: " + d.all());
    }
  }
}
