package io.inboard.e2e.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.ControlPlane;
import java.nio.file.Files;
import java.time.Duration;

/**
 * What Istio's gateway tasks start from: a control plane, httpbin in namespace {@code default}
 * and the ingress gateway, each with its identity from the control plane's CA.
 */
final class GatewayTaskBed implements AutoCloseable {
  final ControlPlane controlPlane;
  final Httpbin httpbin;
  final LocalGateway gateway;

  private GatewayTaskBed(ControlPlane controlPlane, Httpbin httpbin, LocalGateway gateway) {
    this.controlPlane = controlPlane;
    this.httpbin = httpbin;
    this.gateway = gateway;
  }

  static GatewayTaskBed start() throws Exception {
    ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(0).securePort(0)
        .stateDirectory(Files.createTempDirectory("gateway-task-"))
        .registrationGracePeriod(Duration.ofSeconds(1)).start();
    Httpbin httpbin = null;
    try {
      httpbin = Httpbin.start(cp);
      return new GatewayTaskBed(cp, httpbin, LocalGateway.start(cp));
    } catch (Exception | Error e) {
      if (httpbin != null) {
        httpbin.close();
      }
      cp.close();
      throw e;
    }
  }

  /** Applies {@code yaml}, which must be valid. */
  void apply(String yaml) {
    assertThat(controlPlane.apply(yaml).errors()).as(yaml).isEmpty();
  }

  /**
   * The tasks' VirtualService {@code httpbin}: {@code /status} and {@code /delay} of
   * {@code httpbin.example.com} to httpbin, bound to {@code gateway} ({@code ns/name}).
   */
  String httpbinRoutes(String gateway) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: httpbin
          namespace: default
        spec:
          hosts:
          - "httpbin.example.com"
          gateways:
          - %s
          http:
          - match:
            - uri:
                prefix: /status
            - uri:
                prefix: /delay
            route:
            - destination:
                port:
                  number: %d
                host: httpbin
        """.formatted(gateway, httpbin.port);
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    httpbin.close();
    controlPlane.close();
  }
}
