package io.inboard.mesh.grpc;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service, {@code echo.default:9080}, whose pods are real gRPC servers on 127.0.0.2,
 * 127.0.0.3, ... (same port), and a mesh of the calling workload that discovers it.
 */
final class TestCluster implements AutoCloseable {

  static final String NAMESPACE = "default";
  static final String SERVICE = "echo";
  static final String TARGET = "echo:9080";

  private final StaticDiscovery discovery = new StaticDiscovery();
  private final Mesh mesh;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final Map<String, Backend> backends = new LinkedHashMap<>();
  private int nextIp = 2;
  private int port;

  private TestCluster() {
    mesh = Mesh.builder().workloadName("client-v1").namespace(NAMESPACE).discovery(discovery).build();
  }

  static TestCluster start() {
    return new TestCluster();
  }

  Mesh mesh() {
    return mesh;
  }

  /** Declares the service with no pods: it exists but has no ready endpoints. */
  TestCluster createService() {
    publish();
    return this;
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
    endpoints.put(pod, new Endpoint(b.ip(), b.port(), ready, ready, false, pod, "", Map.of("app", SERVICE)));
    publish();
    return b;
  }

  synchronized void setReady(String pod, boolean ready) {
    Endpoint e = endpoints.get(pod);
    endpoints.put(pod, new Endpoint(e.address(), e.port(), ready, ready, false, pod, "", e.labels()));
    publish();
  }

  synchronized void startTerminating(String pod) {
    Endpoint e = endpoints.get(pod);
    endpoints.put(pod, new Endpoint(e.address(), e.port(), false, e.serving(), true, pod, "", e.labels()));
    publish();
  }

  /** Deletes the pod; its server keeps running until {@link #stopBackend}. */
  synchronized void deletePod(String pod) {
    endpoints.remove(pod);
    publish();
  }

  /** Deletes the pod and shuts its server down gracefully. */
  void removePod(String pod) throws InterruptedException {
    deletePod(pod);
    stopBackend(pod);
  }

  void stopBackend(String pod) throws InterruptedException {
    Backend b;
    synchronized (this) {
      b = backends.remove(pod);
    }
    b.shutdownGracefully();
  }

  synchronized Backend backend(String pod) {
    return backends.get(pod);
  }

  synchronized List<Backend> backends() {
    return new ArrayList<>(backends.values());
  }

  private void publish() {
    discovery.put(ServiceName.of(SERVICE, NAMESPACE), new ArrayList<>(endpoints.values()));
  }

  @Override
  public void close() {
    mesh.close();
    backends().forEach(Backend::close);
  }
}
