package io.inboard.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.MeshBuilder;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real control plane with its CA (local mode: a state directory, a credential per service
 * account), and meshes that get their certificates from it the way {@code run.sh} gives them:
 * CA address, credential file, root bundle file.
 */
final class SecurityBed implements AutoCloseable {
  static final String NAMESPACE = "default";

  final Path state;
  final ControlPlane cp;
  private final List<ServiceEndpoint> registered = new ArrayList<>();

  SecurityBed() throws IOException {
    this(UnaryOperator.identity());
  }

  /** A bed whose control plane is built with {@code tweak} applied to its builder. */
  SecurityBed(UnaryOperator<ControlPlane.Builder> tweak) throws IOException {
    this(0, 0, 0, Files.createTempDirectory("inboard-security-"), tweak);
  }

  private SecurityBed(int xdsPort, int adminPort, int securePort, Path state,
      UnaryOperator<ControlPlane.Builder> tweak) throws IOException {
    this.state = state;
    this.cp = tweak.apply(ControlPlane.builder().xdsPort(xdsPort).adminPort(adminPort)
        .securePort(securePort).stateDirectory(state)
        .registrationGracePeriod(Duration.ofSeconds(1))).start();
  }

  /** A second control plane on this one's ports and state directory (a restart). */
  SecurityBed restartedOnSamePorts(int xdsPort, int securePort) throws IOException {
    return new SecurityBed(xdsPort, 0, securePort, state, UnaryOperator.identity());
  }

  static String host(String service) {
    return service + "." + NAMESPACE + ".svc.cluster.local";
  }

  static String spiffe(String serviceAccount) {
    return "spiffe://cluster.local/ns/" + NAMESPACE + "/sa/" + serviceAccount;
  }

  /** The credential file for {@code serviceAccount}, mode 0600, as run.sh writes it. */
  Path credential(String serviceAccount) {
    return credential(NAMESPACE, serviceAccount);
  }

  /** The credential file for {@code serviceAccount} of {@code namespace}. */
  Path credential(String namespace, String serviceAccount) {
    try {
      Path f = state.resolve("credential-" + namespace + "-" + serviceAccount);
      if (!Files.exists(f)) {
        Files.writeString(f, cp.issueLocalCredential(namespace, serviceAccount));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A mesh for workload {@code name} ({@code app}, service account {@code sa}) with its identity
   * from this CA, certificates living {@code lifetime}.
   */
  Mesh mesh(String name, String app, String sa, Duration lifetime) {
    return builder(name, app, NAMESPACE, sa, lifetime).build();
  }

  /** The builder of {@link #mesh}, for a workload of any namespace, to add to. */
  MeshBuilder builder(String name, String app, String namespace, String sa,
      Duration lifetime) {
    return Mesh.builder().workloadName(name).namespace(namespace)
        .label("app", app).label("version", "v1").serviceAccount(sa)
        .controlPlane(cp.xdsAddress()).adminPort(-1)
        .caAddress(cp.secureAddress()).identityTokenFile(credential(namespace, sa))
        .caRootCertFile(cp.rootCertificateFile()).certificateLifetime(lifetime)
        .rootCertRefreshInterval(Duration.ofMillis(500));
  }

  /**
   * Registers {@code ip:port} as an endpoint of {@code service} run by {@code sa}; a mesh
   * endpoint carries Istio's {@code security.istio.io/tlsMode: istio}.
   */
  void register(String service, int port, String ip, String sa, boolean meshWorkload) {
    Map<String, String> labels = new HashMap<>(Map.of("app", service, "version", "v1"));
    if (meshWorkload) {
      labels.put("security.istio.io/tlsMode", "istio");
    }
    ServiceEndpoint e = new ServiceEndpoint(host(service), port, ip, port, labels, sa);
    cp.register(e);
    registered.add(e);
  }

  /** Removes every endpoint {@link #register} added. */
  void deregisterAll() {
    cp.deregister(registered);
    registered.clear();
  }

  void apply(String yaml) {
    assertThat(cp.apply(yaml).errors()).isEmpty();
  }

  @Override
  public void close() {
    cp.close();
  }
}
