package io.inboard.mesh.http;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import io.inboard.mesh.testing.HttpBackendExtension;
import io.inboard.mesh.testing.LifecycleExtension;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockClusterExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenario the {@code *ClusterTest}s share, made of the test kit's parts: a mock cluster
 * whose Services map port 9080 to the container port {@code http}, pods that are
 * {@link HttpBackendExtension}s on 127.0.0.N (one port for all, as replicas have), and
 * productpage-v1's mesh discovering them through {@link KubernetesDiscovery}, so every change
 * travels through real API watches.
 *
 * <p>Register it with {@code @RegisterExtension}. It starts on first use, so field initializers
 * may declare services ({@code new TestCluster().service("reviews")}).
 */
final class TestCluster extends LifecycleExtension<TestCluster> {

  static final String NAMESPACE = "default";

  private final MockClusterExtension k8s = new MockClusterExtension();
  private final Map<String, HttpBackendExtension> backends = new LinkedHashMap<>();
  private Mesh mesh;
  private int port;

  @Override
  protected void doStart() {
    mesh = Mesh.builder().workloadName("productpage-v1").namespace(NAMESPACE)
        .discovery(KubernetesDiscovery.builder().client(k8s.start().client()).build()).build();
  }

  /** productpage-v1's mesh; starts the scenario if need be. */
  Mesh mesh() {
    start();
    return mesh;
  }

  MockCluster cluster() {
    start();
    return k8s.cluster();
  }

  /** Declares Service {@code name}: port 9080 to container port {@code http} of pods app=name. */
  TestCluster service(String name) {
    cluster().service(name, NAMESPACE).selector("app", name).port("http", 9080, "http").create();
    return this;
  }

  /** Starts a backend on {@code ip} and declares its ready pod, labelled app={@code service}. */
  synchronized HttpBackendExtension pod(String service, String pod, String ip) {
    HttpBackendExtension b = HttpBackendExtension.on(ip).port(port).label("app", service).build()
        .start();
    port = b.port();
    backends.put(pod, b);
    k8s.pod(pod, NAMESPACE, b, "http").create();
    return b;
  }

  void setReady(String pod, boolean ready) {
    cluster().setReady(NAMESPACE, pod, ready);
  }

  /** Starts the pod's graceful shutdown: its endpoint turns terminating (and not ready). */
  void startTerminating(String pod) {
    cluster().startTerminating(NAMESPACE, pod);
  }

  /** Deletes the pod, then stops its server, as a preStop hook would order them. */
  void deletePod(String pod) {
    cluster().deletePod(NAMESPACE, pod);
    HttpBackendExtension b;
    synchronized (this) {
      b = backends.remove(pod);
    }
    if (b != null) {
      b.close();
    }
  }

  static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).build();
  }

  @Override
  protected void doStop() {
    mesh.close();
    k8s.close();
    List<HttpBackendExtension> open;
    synchronized (this) {
      open = new ArrayList<>(backends.values());
      backends.clear();
    }
    open.forEach(HttpBackendExtension::close);
  }
}
