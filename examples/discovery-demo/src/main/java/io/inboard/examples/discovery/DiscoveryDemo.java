package io.inboard.examples.discovery;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import io.inboard.mesh.testing.MockCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shows Kubernetes discovery at work without a cluster: a fake API server (the fabric8 CRUD mock
 * plus an EndpointSlice controller), three "pods" that are HTTP servers on 127.0.0.2-4, and a
 * mesh client calling {@code http://hello:80/} through a declarative interface. Each phase
 * changes the cluster and prints which pods answered 30 calls.
 */
public final class DiscoveryDemo {

  private static final int CALLS_PER_PHASE = 30;

  private DiscoveryDemo() {}

  public static void main(String[] args) throws Exception {
    int port = freePort();
    List<HelloPod> pods = new ArrayList<>();
    try (MockCluster cluster = MockCluster.start();
        Mesh mesh = Mesh.builder().workloadName("demo-client").namespace("default")
            .discovery(KubernetesDiscovery.builder().client(cluster.client()).build())
            .build()) {
      System.out.println("fake Kubernetes API server: " + cluster.masterUrl());
      cluster.service("hello", "default").selector("app", "hello").port("http", 80, port).create();
      for (int i = 1; i <= 3; i++) {
        pods.add(startPod(cluster, "hello-" + i, "127.0.0." + (i + 1), port));
      }
      HelloApi hello = MeshHttpClient.of(mesh).create(HelloApi.class);

      phase("three ready pods", hello);

      cluster.setReady("default", "hello-2", false);
      phase("hello-2 not ready", hello);

      pods.add(startPod(cluster, "hello-4", "127.0.0.5", port));
      phase("scaled up: hello-4 added", hello);

      cluster.startTerminating("default", "hello-1");
      phase("hello-1 terminating", hello);
      cluster.deletePod("default", "hello-1");
      pods.get(0).close();
      phase("hello-1 deleted and stopped", hello);

      System.out.println("\ndone: every call succeeded and went only to ready pods.");
    } finally {
      pods.forEach(HelloPod::close);
    }
  }

  private static HelloPod startPod(MockCluster cluster, String name, String ip, int port)
      throws IOException {
    HelloPod pod = new HelloPod(name, ip, port);
    cluster.pod(name, "default").ip(ip).label("app", "hello").label("version", "v1")
        .zone("zone-a").ready(true).create();
    return pod;
  }

  /** Waits briefly for discovery to catch up (it takes milliseconds), then samples calls. */
  private static void phase(String title, HelloApi hello) throws InterruptedException {
    Thread.sleep(300);
    Map<String, Integer> answered = new TreeMap<>();
    for (int i = 0; i < CALLS_PER_PHASE; i++) {
      answered.merge(hello.hello(), 1, Integer::sum);
    }
    System.out.printf("%n== %s%n", title);
    answered.forEach((pod, n) -> System.out.printf("   %-8s %3d calls %s%n", pod, n, "#".repeat(n)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.2", 0));
      return s.getLocalPort();
    }
  }
}
