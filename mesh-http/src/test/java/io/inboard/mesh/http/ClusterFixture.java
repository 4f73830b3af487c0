package io.inboard.mesh.http;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import io.inboard.mesh.testing.MockCluster;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fake cluster (fabric8 CRUD mock API server) with a mesh discovering from it, and real HTTP
 * servers on 127.0.0.N as pods. Every pod listens on the same target port, as replicas do.
 */
final class ClusterFixture implements AutoCloseable {

  final MockCluster cluster = MockCluster.start();
  final Mesh mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
      .discovery(KubernetesDiscovery.builder().client(cluster.client()).build()).build();
  final int targetPort = Backend.freePort();
  private final Map<String, Backend> backends = new LinkedHashMap<>();

  /** Declares Service {@code name} in {@code default}: port 9080 to the pods' target port. */
  ClusterFixture service(String name) {
    cluster.service(name, "default").selector("app", name).port("http", 9080, targetPort).create();
    return this;
  }

  /** Starts a backend on {@code ip} and declares its ready pod. */
  Backend pod(String service, String pod, String ip) {
    Backend b = Backend.start(ip, targetPort);
    backends.put(pod, b);
    cluster.pod(pod, "default").ip(ip).label("app", service).create();
    return b;
  }

  /** Deletes the pod, then stops its server, as a preStop hook would order them. */
  void deletePod(String pod) {
    cluster.deletePod("default", pod);
    Backend b = backends.remove(pod);
    if (b != null) {
      b.close();
    }
  }

  static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).build();
  }

  @Override
  public void close() {
    mesh.close();
    cluster.close();
    backends.values().forEach(Backend::close);
  }
}
