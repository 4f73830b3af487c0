package io.inboard.mesh.controlplane.testing;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.MeshBuilder;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.testing.LifecycleExtension;
import io.inboard.mesh.testing.LoopbackBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A real Inboard control plane on ephemeral loopback ports, as a JUnit 5 extension (see
 * {@link LifecycleExtension}: per class when the field is {@code static}, else per test).
 *
 * <pre>{@code
 * @RegisterExtension static final ControlPlaneExtension cp = ControlPlaneExtension.builder().build();
 * @RegisterExtension static final GrpcBackendExtension v1 = GrpcBackendExtension.on("127.0.0.2").version("v1").build();
 *
 * cp.register("reviews", v1);                // reviews.default.svc.cluster.local:<v1's port>
 * cp.subsets("reviews", "v1", "v2");         // a DestinationRule with subsets by version label
 * cp.apply(virtualServiceYaml);              // fails the test on any warning or error
 * Mesh mesh = cp.mesh("productpage-v1", b -> b.label("app", "productpage"));
 * }</pre>
 *
 * <p>Services are registered in the control plane's default namespace ({@code default} unless
 * changed with {@link Builder#configure}). Meshes made with {@link #mesh} are closed when the
 * extension stops, before the control plane.
 *
 * <p>It ships with the control plane rather than in {@code mesh-testing} because every module's
 * tests use {@code mesh-testing}, this one's included: {@code mesh-testing} cannot depend on the
 * control plane without a cycle. JUnit Jupiter's API and {@code mesh-testing} are needed on the
 * test class path only.
 */
public final class ControlPlaneExtension extends LifecycleExtension<ControlPlaneExtension> {

  private final Consumer<ControlPlane.Builder> configuration;
  private final List<Mesh> meshes = new ArrayList<>();
  private volatile ControlPlane controlPlane;

  private ControlPlaneExtension(Consumer<ControlPlane.Builder> configuration) {
    this.configuration = configuration;
  }

  /** Starts configuring a control plane extension. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void doStart() throws Exception {
    ControlPlane.Builder b = ControlPlane.builder().host("127.0.0.1").xdsPort(0).adminPort(0);
    configuration.accept(b);
    controlPlane = b.start();
  }

  @Override
  protected void doStop() {
    List<Mesh> open;
    synchronized (meshes) {
      open = new ArrayList<>(meshes);
      meshes.clear();
    }
    open.forEach(Mesh::close);
    controlPlane.close();
  }

  /** The running control plane. */
  public ControlPlane controlPlane() {
    checkStarted();
    return controlPlane;
  }

  /** {@code host:port} of its plaintext xDS server, for {@code Mesh.builder().controlPlane(..)}. */
  public String xdsAddress() {
    return controlPlane().xdsAddress();
  }

  /** {@code http://host:port} of its admin API. */
  public String adminUrl() {
    return controlPlane().adminUrl();
  }

  /** The fully qualified host of {@code service} in the control plane's default namespace. */
  public String host(String service) {
    ControlPlane cp = controlPlane();
    return service + "." + cp.defaultNamespace() + ".svc." + cp.clusterDomain();
  }

  /**
   * Registers each backend as an endpoint of {@code service} (short name, in the default
   * namespace) on the backend's port, with the backend's labels.
   */
  public ControlPlaneExtension register(String service, LoopbackBackend... backends) {
    for (LoopbackBackend b : backends) {
      controlPlane().register(new ServiceEndpoint(host(service), b.port(), b.ip(), b.labels()));
    }
    return this;
  }

  /** Removes each backend from {@code service}'s endpoints. */
  public ControlPlaneExtension deregister(String service, LoopbackBackend... backends) {
    for (LoopbackBackend b : backends) {
      controlPlane().deregister(new ServiceEndpoint(host(service), b.port(), b.ip(), b.labels()));
    }
    return this;
  }

  /**
   * Applies a DestinationRule named after {@code service} with one subset per version, each
   * selecting the pod label {@code version: <name>}: the "v1/v2 subsets" most routing tests need.
   */
  public ControlPlaneExtension subsets(String service, String... versions) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s}
        spec:
          host: %s
          subsets:
        """.formatted(service, service));
    for (String v : versions) {
      yaml.append("  - {name: ").append(v).append(", labels: {version: ").append(v).append("}}\n");
    }
    return apply(yaml.toString());
  }

  /**
   * Applies {@code yaml}, which must be accepted without warnings or errors.
   *
   * @throws AssertionError listing the diagnostics otherwise (the control plane keeps its last
   *     good config on errors)
   */
  public ControlPlaneExtension apply(String yaml) {
    Diagnostics d = controlPlane().apply(requireNonNull(yaml, "yaml"));
    if (!d.all().isEmpty()) {
      throw new AssertionError("control plane did not accept the config cleanly: " + d.all()
          + "\n" + yaml);
    }
    return this;
  }

  /** Applies {@code yaml} and returns what the control plane said about it, errors included. */
  public Diagnostics applyReporting(String yaml) {
    return controlPlane().apply(requireNonNull(yaml, "yaml"));
  }

  /**
   * A mesh for workload {@code workloadName} in the default namespace, on 127.0.0.1, pointed at
   * this control plane; {@code customizer} adds labels, served services and the like. Closed when
   * the extension stops.
   */
  public Mesh mesh(String workloadName, Consumer<MeshBuilder> customizer) {
    MeshBuilder b = Mesh.builder().workloadName(workloadName)
        .namespace(controlPlane().defaultNamespace()).instanceIps("127.0.0.1")
        .controlPlane(xdsAddress());
    customizer.accept(b);
    Mesh mesh = b.build();
    synchronized (meshes) {
      meshes.add(mesh);
    }
    return mesh;
  }

  /** {@link #mesh(String, Consumer)} with nothing added. */
  public Mesh mesh(String workloadName) {
    return mesh(workloadName, b -> { });
  }

  /** Configures a {@link ControlPlaneExtension}. */
  public static final class Builder {
    private Consumer<ControlPlane.Builder> configuration = b -> { };

    private Builder() {}

    /**
     * Changes the control plane's settings (config directory, auto-registration, default
     * namespace, ...). Ports stay ephemeral unless set here.
     */
    public Builder configure(Consumer<ControlPlane.Builder> configuration) {
      this.configuration = this.configuration.andThen(requireNonNull(configuration, "configuration"));
      return this;
    }

    /** The extension, not started yet (JUnit starts it, or call {@code start()}). */
    public ControlPlaneExtension build() {
      return new ControlPlaneExtension(configuration);
    }
  }
}
