package io.inboard.mesh.http;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.MeshBuilder;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.testing.HttpBackendExtension;
import io.inboard.mesh.testing.LifecycleExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The scenario the {@code Xds*Test}s share, made of the test kit's parts: a real control plane
 * ({@link ControlPlaneExtension}), one {@link HttpBackendExtension} per version on 127.0.0.2,
 * 127.0.0.3, ... (one port for all, labelled {@code version: vN}), and a workload's mesh in xDS
 * mode with its {@link MeshHttpClient}. Each test declares its own service with
 * {@link #service}: every backend is an endpoint, every version a subset, plus the test's
 * VirtualService.
 */
final class XdsSubsets extends LifecycleExtension<XdsSubsets> {

  private final ControlPlaneExtension cp = ControlPlaneExtension.builder().build();
  private final String workload;
  private final Consumer<MeshBuilder> meshCustomizer;
  private final List<String> versions;
  private Consumer<Mesh> beforeClient = m -> { };
  private Consumer<MeshHttpClientBuilder> clientCustomizer = b -> { };
  private final List<HttpBackendExtension> backends = new ArrayList<>();
  private volatile MeshHttpClient http;

  /**
   * A scenario for workload {@code workload} (its mesh customized by {@code mesh}, admin server
   * off) calling backends of {@code versions}, in that order on 127.0.0.2 upwards.
   */
  XdsSubsets(String workload, Consumer<MeshBuilder> mesh, String... versions) {
    this.workload = requireNonNull(workload, "workload");
    this.meshCustomizer = requireNonNull(mesh, "mesh");
    this.versions = List.of(versions);
  }

  /** Runs {@code hook} on the workload's mesh before its client is built (before start). */
  XdsSubsets beforeClient(Consumer<Mesh> hook) {
    this.beforeClient = requireNonNull(hook, "hook");
    return this;
  }

  /** Customizes the workload's client before it is built (e.g. its transport). */
  XdsSubsets client(Consumer<MeshHttpClientBuilder> customizer) {
    this.clientCustomizer = requireNonNull(customizer, "customizer");
    return this;
  }

  @Override
  protected void doStart() {
    cp.start();
    int port = 0;
    for (int i = 0; i < versions.size(); i++) {
      HttpBackendExtension b = HttpBackendExtension.on("127.0.0." + (2 + i)).port(port)
          .version(versions.get(i)).build().start();
      port = b.port();
      backends.add(b);
    }
    Mesh mesh = cp.mesh(workload, b -> meshCustomizer.accept(b.adminPort(-1)));
    beforeClient.accept(mesh);
    MeshHttpClientBuilder client = MeshHttpClient.builder(mesh);
    clientCustomizer.accept(client);
    http = client.build();
    // A new node's first ADS request can race the control plane's first snapshot for it; one
    // warm-up call that may need a retry keeps that out of every test's own first call.
    service("warmup", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: %s}}]
        """.formatted(versions.get(0)));
    AtomicReference<Object> last = new AtomicReference<>();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(45)).until(() -> {
        try {
          HttpResponse<String> r = get("warmup", "/");
          last.set(r.statusCode() + " " + r.body());
          return r.statusCode() == 200;
        } catch (Exception e) {
          last.set(e);
          return false;
        }
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("warm-up call never answered 200; last: " + last.get(),
          last.get() instanceof Throwable t ? t : e);
    }
  }

  @Override
  protected void doStop() {
    cp.close(); // closes the mesh first
    backends.forEach(HttpBackendExtension::close);
    backends.clear();
  }

  ControlPlaneExtension cp() {
    return cp;
  }

  MeshHttpClient http() {
    checkStarted();
    return http;
  }

  /** The backend of {@code version}. */
  HttpBackendExtension backend(String version) {
    checkStarted();
    int i = versions.indexOf(version);
    if (i < 0) {
      throw new IllegalArgumentException("version: " + version + " (expected: one of "
          + versions + ")");
    }
    return backends.get(i);
  }

  /** The port every backend listens on, which is also each service's port. */
  int port() {
    return backends.get(0).port();
  }

  /**
   * Declares service {@code name}: every backend as an endpoint, a DestinationRule with one subset
   * per version, and {@code virtualService} with each {@code SVC} replaced by {@code name}. Fails
   * on any diagnostic.
   */
  void service(String name, String virtualService) {
    cp.register(name, backends.toArray(HttpBackendExtension[]::new));
    cp.subsets(name, versions.toArray(String[]::new));
    cp.apply(virtualService.replace("SVC", name));
  }

  /**
   * {@link #service}, for a VirtualService using HTTP-only features (methods, query parameters,
   * HTTP retry conditions, mirrors, header changes) that the control plane accepts with a warning
   * for gRPC clients: fails on errors only.
   */
  void serviceWithHttpOnlyFeatures(String name, String virtualService) {
    cp.register(name, backends.toArray(HttpBackendExtension[]::new));
    cp.subsets(name, versions.toArray(String[]::new));
    var errors = cp.applyReporting(virtualService.replace("SVC", name)).errors();
    if (!errors.isEmpty()) {
      throw new AssertionError("control plane refused the VirtualService of " + name + ": "
          + errors);
    }
  }

  /** A GET of {@code http://<service>:<port><path>} through the mesh, with header pairs. */
  HttpResponse<String> get(String service, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://" + service + ":" + port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    // the field, not http(): the warm-up runs this inside start(), before the extension counts
    // as started
    return http.send(b.build(), BodyHandlers.ofString());
  }

  /** Every backend back to its defaults (see {@link HttpBackendExtension#reset()}). */
  void resetBackends() {
    backends.forEach(HttpBackendExtension::reset);
  }
}
