package io.inboard.benchmarks.scale;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's mesh, named the same way by the control plane JVM and the clients: services
 * {@code svc-<i>.default.svc.cluster.local:8080}, each with {@value #ENDPOINTS} endpoints whose
 * {@code version} label is {@code v1} or {@code v2} alternately. Services 0 to {@value #HOT} - 1
 * are called by every client and are the ones changed; each client also calls {@value #OWN}
 * services of its own.
 */
final class ScaleConfig {
  static final int PORT = 8080;
  static final int ENDPOINTS = 10;
  /** The services every client calls, and every change touches. */
  static final int HOT = 10;
  /** The further services each client calls, picked by its index. */
  static final int OWN = 5;
  /** The service whose VirtualService weight changes. */
  static final int WEIGHTED = 0;
  /** The service whose DestinationRule changes. */
  static final int POOLED = 1;
  /** The service an endpoint is added to. */
  static final int GROWING = 2;

  private ScaleConfig() {}

  static String host(int service) {
    return "svc-" + service + ".default.svc.cluster.local";
  }

  /** The listener (and route configuration) name grpc-xds asks for: {@code host:port}. */
  static String listener(int service) {
    return host(service) + ":" + PORT;
  }

  /**
   * The address of endpoint {@code e} of {@code service} in rolling-update {@code generation}:
   * a distinct loopback address, never contacted.
   */
  static String address(int service, int e, int generation) {
    int n = service * ENDPOINTS + e;
    return "127." + (1 + generation % 200) + "." + (n / 250) % 250 + "." + (1 + n % 250);
  }

  /** The services client {@code index} calls: the hot ones, then its own. */
  static List<Integer> calledBy(int index, int services) {
    List<Integer> out = new ArrayList<>();
    for (int s = 0; s < Math.min(HOT, services); s++) {
      out.add(s);
    }
    for (int k = 0; k < OWN && services > HOT; k++) {
      out.add(HOT + (int) ((index * 7919L + k * 104_729L) % (services - HOT)));
    }
    return out.stream().distinct().toList();
  }

  /** The VirtualService of {@link #WEIGHTED}: subsets v1 and v2 at {@code v1Weight} : rest. */
  static String weightedRoute(int v1Weight) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: svc-%1$d}
        spec:
          hosts: [svc-%1$d]
          http:
          - route:
            - {destination: {host: svc-%1$d, subset: v1}, weight: %2$d}
            - {destination: {host: svc-%1$d, subset: v2}, weight: %3$d}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: svc-%1$d}
        spec:
          host: svc-%1$d
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """.formatted(WEIGHTED, v1Weight, 100 - v1Weight);
  }

  /** The DestinationRule of {@link #POOLED}, with a connection-pool limit of {@code max}. */
  static String pooledRule(int max) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: svc-%1$d}
        spec:
          host: svc-%1$d
          trafficPolicy: {connectionPool: {http: {http2MaxRequests: %2$d}}}
        """.formatted(POOLED, max);
  }
}
