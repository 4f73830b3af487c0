package io.inboard.e2e.gateway;

import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.gateway.IngressGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ingress gateway as {@code examples/bookinfo/run.sh} starts it, in this JVM: workload
 * {@code istio-ingressgateway} in namespace {@code istio-system} with Istio's gateway labels and
 * service account, its identity from the control plane's CA, serving its listeners on its own
 * loopback address {@link #ADDRESS}.
 */
public final class LocalGateway implements AutoCloseable {

  /** The loopback address the gateway's listeners bind. */
  public static final String ADDRESS = "127.0.0.28";
  static final String NAMESPACE = "istio-system";
  static final String SERVICE_ACCOUNT = "istio-ingressgateway-service-account";

  public final Mesh mesh;
  public final IngressGateway gateway;

  private LocalGateway(Mesh mesh, IngressGateway gateway) {
    this.mesh = mesh;
    this.gateway = gateway;
  }

  /** Starts the gateway against {@code controlPlane}. */
  public static LocalGateway start(ControlPlane controlPlane) throws IOException {
    Path credential = Files.createTempFile("gateway-credential-", "");
    Files.writeString(credential,
        controlPlane.issueLocalCredential(NAMESPACE, SERVICE_ACCOUNT));
    Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));
    Mesh mesh = Mesh.builder()
        .workloadName("istio-ingressgateway")
        .namespace(NAMESPACE)
        .label("istio", "ingressgateway")
        .label("app", "istio-ingressgateway")
        .serviceAccount(SERVICE_ACCOUNT)
        .instanceIps(ADDRESS)
        .controlPlane(controlPlane.xdsAddress())
        .caAddress(controlPlane.secureAddress())
        .identityTokenFile(credential)
        .caRootCertFile(controlPlane.rootCertificateFile())
        .adminPort(0)
        .build();
    try {
      return new LocalGateway(mesh,
          IngressGateway.builder(mesh).bindHost(ADDRESS).healthPort(0).build());
    } catch (RuntimeException e) {
      mesh.close();
      throw e;
    }
  }

  /** Waits until the gateway listens on server port {@code port}. */
  public void awaitListening(int port) {
    await("gateway listening on " + port).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> gateway.listeningPorts().containsKey(port));
  }

  /** Waits until the gateway no longer listens on server port {@code port}. */
  public void awaitNotListening(int port) {
    await("gateway closed " + port).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !gateway.listeningPorts().containsKey(port));
  }

  /** {@code GET path} with {@code Host: host} on server port {@code port}. */
  public RawHttp.Response get(int port, String host, String path) throws IOException {
    return RawHttp.get(ADDRESS, gateway.listeningPorts().getOrDefault(port, port), host, path);
  }

  /** A port free on {@link #ADDRESS}, for a Gateway server. */
  public static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(40_000, 50_000);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(ADDRESS, candidate));
        return candidate;
      } catch (IOException busy) {
        // try another
      }
    }
    throw new IOException("no port in 40000..49999 is free on " + ADDRESS);
  }

  @Override
  public void close() {
    gateway.close();
    mesh.close();
  }
}
