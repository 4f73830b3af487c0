package io.inboard.mesh.controlplane.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.kubernetes.KubernetesConfigSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code inboardctl control-plane}: runs a control plane until interrupted or terminated. Its
 * config comes from one source: {@code --config-dir DIR} (local YAML, followed), or
 * {@code --kubernetes} (Services, EndpointSlices, Pods and Istio custom resources of every
 * namespace, through fabric8's default client configuration: in-cluster service account,
 * {@code ~/.kube/config}, or the {@code kubernetes.master} system property and
 * {@code KUBERNETES_MASTER} variable), or neither (auto-registration and {@code apply} only).
 * {@code --root-namespace NS} names the namespace of mesh-wide policy (default {@code
 * istio-system}, as Istio's), such as a PeerAuthentication without selector.
 */
final class ControlPlaneCommand {
  private ControlPlaneCommand() {}

  static int run(Map<String, String> options, PrintStream out, PrintStream err) {
    for (String o : options.keySet()) {
      if (!Map.of("--config-dir", 0, "--kubernetes", 0, "--xds-port", 0, "--admin-port", 0,
          "--host", 0, "--grace-period", 0, "--root-namespace", 0).containsKey(o)) {
        return InboardCtl.usage(err, "control-plane: unknown option " + o);
      }
    }
    boolean kubernetes = options.containsKey("--kubernetes");
    if (kubernetes && options.containsKey("--config-dir")) {
      return InboardCtl.usage(err, "control-plane: --config-dir and --kubernetes both given"
          + " (expected: at most one config source)");
    }
    if (kubernetes && !options.get("--kubernetes").isEmpty()) {
      return InboardCtl.usage(err, "--kubernetes: '" + options.get("--kubernetes")
          + "' (expected: no value; the client's configuration says which cluster)");
    }
    ControlPlane.Builder b = ControlPlane.builder();
    try {
      b.xdsPort(number(options, "--xds-port", "15010", "a port 0..65535").intValue());
      b.adminPort(number(options, "--admin-port", "15014", "a port 0..65535").intValue());
      b.host(options.getOrDefault("--host", "127.0.0.1"));
      b.rootNamespace(options.getOrDefault("--root-namespace",
          ControlPlane.DEFAULT_ROOT_NAMESPACE));
      // in a cluster, EndpointSlices say which pods serve; announcements would list them twice
      b.autoRegistration(!kubernetes);
      b.registrationGracePeriod(Duration.ofMillis(
          (long) (number(options, "--grace-period", "10", "seconds >= 0").doubleValue() * 1000)));
    } catch (IllegalArgumentException e) {
      return InboardCtl.usage(err, e.getMessage());
    }
    String dir = options.get("--config-dir");
    if (dir != null) {
      if (!Files.isDirectory(Path.of(dir))) {
        return InboardCtl.usage(err, "--config-dir: " + dir + " (expected: a directory)");
      }
      b.configDirectory(Path.of(dir));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // closed in reverse order: the source stops watching before its client closes, and both
    // before the control plane
    try (ControlPlane cp = b.start();
        KubernetesClient client = kubernetes ? new KubernetesClientBuilder().build() : null;
        KubernetesConfigSource source = kubernetes
            ? KubernetesConfigSource.start(client, cp) : null) {
      Thread hook = new Thread(stopped::countDown, "inboardctl-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("xds   " + cp.xdsAddress());
      out.println("admin " + cp.adminUrl());
      if (dir != null) {
        out.println("config-dir " + Path.of(dir).toAbsolutePath());
        cp.diagnostics().all().forEach(d -> out.println(d));
      }
      if (client != null) {
        out.println("kubernetes " + client.getConfiguration().getMasterUrl());
      }
      out.flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook has run
      }
      return InboardCtl.OK;
    } catch (IOException e) {
      err.println("error: cannot start the control plane: " + e);
      return InboardCtl.UNAVAILABLE;
    } catch (KubernetesClientException e) {
      err.println("error: --kubernetes: cannot configure the Kubernetes client (expected: an"
          + " in-cluster service account, a kubeconfig, or the kubernetes.master system"
          + " property): " + e.getMessage());
      return InboardCtl.UNAVAILABLE;
    }
  }

  private static Number number(Map<String, String> options, String name, String defaultValue,
      String expected) {
    String raw = options.getOrDefault(name, defaultValue);
    try {
      return raw.contains(".") ? Double.parseDouble(raw) : Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + raw + "' (expected: " + expected + ")");
    }
  }
}
