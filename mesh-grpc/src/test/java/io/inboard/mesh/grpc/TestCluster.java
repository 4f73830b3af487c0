package io.inboard.mesh.grpc;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.LifecycleExtension;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockClusterExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenario this module's tests share, made of the test kit's parts: a mock cluster holding
 * one Service, {@code echo.default}, port 9080 to container port {@code grpc}, whose pods are
 * {@link GrpcBackendExtension}s on 127.0.0.2, 127.0.0.3, ... (one port for all). The calling
 * workload's mesh discovers it through {@link KubernetesDiscovery}, so every change travels
 * through real API watches. Register it with {@code @RegisterExtension} (a fresh one per test).
 */
final class TestCluster extends LifecycleExtension<TestCluster> {

  static final String NAMESPACE = "default";
  static final String SERVICE = "echo";
  static final String TARGET = "echo:9080";

  private final MockClusterExtension k8s = new MockClusterExtension();
  private final Map<String, GrpcBackendExtension> backends = new LinkedHashMap<>();
  private Mesh mesh;
  private int nextIp = 2;
  private int port;

  @Override
  protected void doStart() {
    MockCluster cluster = k8s.start().cluster();
    cluster.service(SERVICE, NAMESPACE).selector("app", SERVICE).port("grpc", 9080, "grpc").create();
    mesh = Mesh.builder().workloadName("client-v1").namespace(NAMESPACE)
        .discovery(KubernetesDiscovery.builder().client(cluster.client()).build())
        .build();
  }

  Mesh mesh() {
    return mesh;
  }

  /** Starts a backend on the next loopback IP and adds a ready pod for it. */
  GrpcBackendExtension addPod(String pod) {
    return addPod(pod, true);
  }

  /** Starts a backend on the next loopback IP and adds a pod for it. */
  synchronized GrpcBackendExtension addPod(String pod, boolean ready) {
    GrpcBackendExtension b = GrpcBackendExtension.on("127.0.0." + nextIp++).port(port)
        .label("app", SERVICE).build().start();
    port = b.port();
    backends.put(pod, b);
    k8s.pod(pod, NAMESPACE, b, "grpc").ready(ready).create();
    return b;
  }

  void setReady(String pod, boolean ready) {
    k8s.cluster().setReady(NAMESPACE, pod, ready);
  }

  /** Starts the pod's graceful shutdown: its endpoint turns terminating (and not ready). */
  void startTerminating(String pod) {
    k8s.cluster().startTerminating(NAMESPACE, pod);
  }

  /** Deletes the pod; its server keeps running until {@link #stopBackend}. */
  void deletePod(String pod) {
    k8s.cluster().deletePod(NAMESPACE, pod);
  }

  /** Shuts the pod's server down gracefully, as its preStop hook would. */
  void stopBackend(String pod) throws InterruptedException {
    GrpcBackendExtension b;
    synchronized (this) {
      b = backends.remove(pod);
    }
    b.shutdownGracefully();
  }

  synchronized List<GrpcBackendExtension> backends() {
    return new ArrayList<>(backends.values());
  }

  @Override
  protected void doStop() {
    mesh.close();
    k8s.close();
    backends().forEach(GrpcBackendExtension::close);
  }
}
