package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.testing.MockCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code inboardctl control-plane --kubernetes} in-process against the fabric8 CRUD mock API
 * server, which the default client configuration finds through the {@code kubernetes.master}
 * system property (as a pod finds its API server through its service account).
 */
class ControlPlaneKubernetesCommandTest {
  private MockCluster cluster;
  private String master;
  private String tryKubeConfig;

  @BeforeEach
  void pointDefaultClientAtMockCluster() {
    cluster = MockCluster.start().installIstioCrds();
    master = System.getProperty("kubernetes.master");
    tryKubeConfig = System.getProperty("kubernetes.auth.tryKubeConfig");
    System.setProperty("kubernetes.master", cluster.masterUrl());
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
  }

  @AfterEach
  void restore() {
    restore("kubernetes.master", master);
    restore("kubernetes.auth.tryKubeConfig", tryKubeConfig);
    cluster.close();
  }

  @Test
  void servesServicesAndIstioResourcesOfTheClusterUntilInterrupted() throws Exception {
    cluster.service("reviews", "default").selector("app", "reviews").port("grpc", 9080, 9080)
        .create();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread t = new Thread(() -> exit.set(InboardCtl.run(new String[] {"control-plane",
        "--kubernetes", "--xds-port", "0", "--admin-port", "0"}, System.in,
        new PrintStream(out, true, StandardCharsets.UTF_8), sink())));
    t.start();
    try {
      String admin = await().atMost(Duration.ofSeconds(10))
          .until(() -> line(out, "admin "), s -> !s.isEmpty());
      cluster.applyCustomResource("""
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: reviews, namespace: default}
          spec:
            hosts: [reviews]
            http:
            - route: [{destination: {host: reviews}}]
          """);

      await().atMost(Duration.ofSeconds(20)).until(() -> InboardCtl.run(new String[] {"get",
          "VirtualService", "reviews", "--server", admin}, System.in, sink(), sink()) == 0);
      assertThat(line(out, "kubernetes ")).isEqualTo(cluster.masterUrl());
    } finally {
      t.interrupt();
      t.join(10_000);
    }
    assertThat(t.isAlive()).isFalse();
    assertThat(exit.get()).isZero();
  }

  private static String line(ByteArrayOutputStream out, String prefix) {
    return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length())).findFirst().orElse("");
  }

  private static PrintStream sink() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
