package io.inboard.benchmarks.gateway;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The control plane of {@code run-gateway.sh}: local mode on {@code xdsPort}, the echo server
 * registered as the endpoint of service {@code echo.default} port 80, and a Gateway for the
 * {@code istio: ingressgateway} workloads with one HTTP server on {@code gatewayPort}, hosts
 * {@code *}, whose VirtualService sends everything to {@code echo:80}, as bookinfo-gateway.yaml
 * does for productpage; and the same on {@code jdkGatewayPort} for the gateways labelled
 * {@code istio: ingressgateway-jdk} (the gateway on the JDK client, for comparison), and on
 * {@code epollGatewayPort} for {@code istio: ingressgateway-epoll} (the gateway on epoll instead
 * of io_uring). Prints
 * {@code ready} and runs until killed.
 *
 * <pre>GatewayBenchPlane xdsPort=15110 gatewayPort=19083 jdkGatewayPort=19084 epollGatewayPort=19085 echoPort=18080</pre>
 */
public final class GatewayBenchPlane {
  private GatewayBenchPlane() {}

  public static void main(String[] args) throws java.io.IOException, InterruptedException {
    Map<String, String> a = new java.util.HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("argument '" + arg + "' (expected: key=value)");
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    int xdsPort = Integer.parseInt(a.getOrDefault("xdsPort", "15110"));
    int gatewayPort = Integer.parseInt(a.getOrDefault("gatewayPort", "19083"));
    int echoPort = Integer.parseInt(a.getOrDefault("echoPort", "18080"));
    int jdkGatewayPort = Integer.parseInt(a.getOrDefault("jdkGatewayPort", "19084"));
    int epollGatewayPort = Integer.parseInt(a.getOrDefault("epollGatewayPort", "19085"));
    ControlPlane cp = ControlPlane.builder().xdsPort(xdsPort).adminPort(0).securePort(0).start();
    cp.register(new ServiceEndpoint("echo.default.svc.cluster.local", 80, "127.0.0.1", echoPort,
        Map.of("app", "echo"), "default", ""));
    Diagnostics d = cp.apply(gateway("bench-gateway", "ingressgateway", gatewayPort)
        + gateway("bench-gateway-jdk", "ingressgateway-jdk", jdkGatewayPort)
        + gateway("bench-gateway-epoll", "ingressgateway-epoll", epollGatewayPort) + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: echo
          namespace: default
        spec:
          hosts:
          - "*"
          gateways:
          - bench-gateway
          - bench-gateway-jdk
          - bench-gateway-epoll
          http:
          - route:
            - destination:
                host: echo
                port:
                  number: 80
        """);
    if (d.hasErrors()) {
      System.err.println("bench config refused: " + d.errors());
      System.exit(1);
    }
    System.out.println("ready");
    new CountDownLatch(1).await();
  }

  /** A Gateway serving hosts {@code *} over HTTP on {@code port} to gateways labelled istio=. */
  private static String gateway(String name, String istioLabel, int port) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: %s
          namespace: default
        spec:
          selector:
            istio: %s
          servers:
          - port:
              number: %d
              name: http
              protocol: HTTP
            hosts:
            - "*"
        ---
        """.formatted(name, istioLabel, port);
  }
}
