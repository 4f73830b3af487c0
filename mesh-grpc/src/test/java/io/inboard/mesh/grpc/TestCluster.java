package io.inboard.mesh.grpc;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import io.inboard.mesh.testing.MockCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake cluster (the fabric8 CRUD mock API server) holding one Service, {@code echo.default},
 * port 9080 to container port {@code grpc}, whose pods are real gRPC servers on 127.0.0.2,
 * 127.0.0.3, ... (one port for all). The calling workload's mesh discovers it through
 * {@link KubernetesDiscovery}, so every change travels through real API watches.
 */
final class TestCluster implements AutoCloseable {

  static final String NAMESPACE = "default";
  static final String SERVICE = "echo";
  static final String TARGET = "echo:9080";

  private final MockCluster cluster = MockCluster.start();
  private final Mesh mesh;
  private final Map<String, Backend> backends = new LinkedHashMap<>();
  private int nextIp = 2;
  private int port;

  private TestCluster() {
    cluster.service(SERVICE, NAMESPACE).selector("app", SERVICE).port("grpc", 9080, "grpc").create();
    mesh = Mesh.builder().workloadName("client-v1").namespace(NAMESPACE)
        .discovery(KubernetesDiscovery.builder().client(cluster.client()).build())
        .build();
  }

  static TestCluster start() {
    return new TestCluster();
  }

  Mesh mesh() {
    return mesh;
  }

  /** Starts a backend on the next loopback IP and adds a ready pod for it. */
  Backend addPod(String pod, Backend.Behavior behavior) {
    return addPod(pod, behavior, true);
  }

  /** Starts a backend on the next loopback IP and adds a pod for it. */
  synchronized Backend addPod(String pod, Backend.Behavior behavior, boolean ready) {
    Backend b = Backend.start("127.0.0." + nextIp++, port, behavior);
    port = b.port();
    backends.put(pod, b);
    cluster.pod(pod, NAMESPACE).ip(b.ip()).label("app", SERVICE).containerPort("grpc", port)
        .ready(ready).create();
    return b;
  }

  void setReady(String pod, boolean ready) {
    cluster.setReady(NAMESPACE, pod, ready);
  }

  /** Starts the pod's graceful shutdown: its endpoint turns terminating (and not ready). */
  void startTerminating(String pod) {
    cluster.startTerminating(NAMESPACE, pod);
  }

  /** Deletes the pod; its server keeps running until {@link #stopBackend}. */
  void deletePod(String pod) {
    cluster.deletePod(NAMESPACE, pod);
  }

  /** Shuts the pod's server down gracefully, as its preStop hook would. */
  void stopBackend(String pod) throws InterruptedException {
    Backend b;
    synchronized (this) {
      b = backends.remove(pod);
    }
    b.shutdownGracefully();
  }

  synchronized List<Backend> backends() {
    return new ArrayList<>(backends.values());
  }

  @Override
  public void close() {
    mesh.close();
    cluster.close();
    backends().forEach(Backend::close);
  }
}
