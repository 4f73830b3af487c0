package io.inboard.mesh.controlplane.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.inboard.mesh.controlplane.CaKeyType;
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
 * {@code --jwks-refresh-interval SECONDS} says how often each RequestAuthentication {@code
 * jwksUri} is fetched again (default 1200, 20 minutes, as istiod). {@code --mesh-config FILE}
 * reads Istio's MeshConfig YAML for the tracing providers Telemetry resources name, and the
 * default tracing and access-log providers (see {@code ControlPlane.Builder#meshConfig}); a
 * bad file stops the command with exit code 1.
 * {@code --injection-port N} is the injection webhook's HTTPS port (default 15017 beside the
 * default xDS port, else a free one, as the builder's; 0 a free port; -1 none; none without
 * the CA).
 * {@code --prometheus-url URL} makes the service graph ({@code /ui} on the admin port) ask that
 * Prometheus Kiali's queries instead of scraping the workloads itself.
 */
final class ControlPlaneCommand {
  private ControlPlaneCommand() {}

  static int run(Map<String, String> options, PrintStream out, PrintStream err) {
    for (String o : options.keySet()) {
      if (!java.util.Set.of("--config-dir", "--kubernetes", "--xds-port", "--admin-port",
          "--host", "--grace-period", "--secure-port", "--state-dir", "--cacerts",
          "--trust-domain", "--ca-key-type", "--ca-host-names", "--root-namespace",
          "--jwks-refresh-interval", "--prometheus-url", "--mesh-config", "--injection-port")
          .contains(o)) {
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
      b.securePort(number(options, "--secure-port", defaultSecurePort(options),
          "a port 0..65535, or -1 for no CA").intValue());
      if (options.containsKey("--injection-port")) {
        b.injectionPort(number(options, "--injection-port", "15017",
            "a port 0..65535, or -1 for no injection webhook").intValue());
      }
      b.host(options.getOrDefault("--host", "127.0.0.1"));
      if (options.containsKey("--prometheus-url")) {
        try {
          b.prometheusUrl(java.net.URI.create(options.get("--prometheus-url")));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--prometheus-url: '"
              + options.get("--prometheus-url") + "' (expected: an http or https URL with a host)");
        }
      }
      b.rootNamespace(options.getOrDefault("--root-namespace",
          ControlPlane.DEFAULT_ROOT_NAMESPACE));
      // as istiod: the pod's namespace (downward API) holds the CA's Secrets
      String podNamespace = System.getenv("POD_NAMESPACE");
      if (podNamespace != null && !podNamespace.isBlank()) {
        b.controlPlaneNamespace(podNamespace);
      }
      if (options.containsKey("--ca-host-names")) {
        b.caHostNames(java.util.Arrays.stream(options.get("--ca-host-names").split(","))
            .map(String::trim).filter(n -> !n.isEmpty()).toArray(String[]::new));
      }
      if (options.containsKey("--trust-domain")) {
        b.trustDomain(options.get("--trust-domain"));
      }
      if (options.containsKey("--ca-key-type")) {
        b.caKeyType(io.inboard.mesh.security.internal.pki.KeyAlgorithm.parse("--ca-key-type",
            options.get("--ca-key-type")) == io.inboard.mesh.security.internal.pki.KeyAlgorithm
            .RSA_2048 ? CaKeyType.RSA_2048 : CaKeyType.EC_P256);
      }
      if (options.containsKey("--cacerts")) {
        Path cacerts = Path.of(options.get("--cacerts"));
        if (!Files.isDirectory(cacerts)) {
          throw new IllegalArgumentException("--cacerts: " + cacerts + " (expected: a directory"
              + " with ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem)");
        }
        b.cacertsDirectory(cacerts);
      }
      // Kubernetes mode keeps its root in a Secret: a state directory only when asked for
      if (!kubernetes || options.containsKey("--state-dir")) {
        b.stateDirectory(stateDirectory(options));
      }
      // in a cluster, EndpointSlices say which pods serve; announcements would list them twice
      b.autoRegistration(!kubernetes);
      b.registrationGracePeriod(Duration.ofMillis(
          (long) (number(options, "--grace-period", "10", "seconds >= 0").doubleValue() * 1000)));
      double jwksRefresh = number(options, "--jwks-refresh-interval", "1200", "seconds > 0")
          .doubleValue();
      if (!(jwksRefresh * 1000 >= 1)) {
        throw new IllegalArgumentException("--jwks-refresh-interval: '"
            + options.get("--jwks-refresh-interval") + "' (expected: seconds > 0)");
      }
      b.jwksRefreshInterval(Duration.ofMillis((long) (jwksRefresh * 1000)));
      if (options.containsKey("--mesh-config")) {
        Path meshConfig = Path.of(options.get("--mesh-config"));
        if (!Files.isRegularFile(meshConfig)) {
          err.println("error: --mesh-config: " + meshConfig + " (expected: an Istio MeshConfig"
              + " YAML file)");
          return InboardCtl.UNREADABLE;
        }
        b.meshConfig(meshConfig);
      }
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
      if (options.getOrDefault("--secure-port", defaultSecurePort(options)).equals("-1")) {
        out.println("ca    disabled");
      } else {
        out.println("ca    " + cp.secureAddress());
        if (io.inboard.mesh.controlplane.InternalControlPlane.injectionWebhook(cp).isPresent()) {
          out.println("inject https://" + cp.xdsAddress().substring(0,
              cp.xdsAddress().lastIndexOf(':')) + ":" + cp.injectionPort() + "/inject");
        }
        if (!kubernetes || options.containsKey("--state-dir")) {
          out.println("root-cert " + cp.rootCertificateFile());
        }
      }
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
    } catch (IOException | java.io.UncheckedIOException e) {
      err.println("error: cannot start the control plane: " + e);
      return InboardCtl.UNAVAILABLE;
    } catch (IllegalArgumentException e) {
      // a plugged-in or stored CA that does not check out, named with the problem
      err.println("error: " + e.getMessage());
      return InboardCtl.INVALID;
    } catch (KubernetesClientException e) {
      err.println("error: --kubernetes: cannot configure the Kubernetes client (expected: an"
          + " in-cluster service account, a kubeconfig, or the kubernetes.master system"
          + " property): " + e.getMessage());
      return InboardCtl.UNAVAILABLE;
    }
  }

  /**
   * {@code --state-dir}, by default {@code ~/.inboard/control-plane}: where the CA keeps its root
   * and credential key, and writes the trust bundle.
   */
  static Path stateDirectory(Map<String, String> options) {
    String dir = options.get("--state-dir");
    return dir != null && !dir.isEmpty() ? Path.of(dir)
        : Path.of(System.getProperty("user.home"), ".inboard", "control-plane");
  }

  /** 15012, as istiod's; 0 (a free port) when the xDS port is 0, as the builder does. */
  private static String defaultSecurePort(Map<String, String> options) {
    return "0".equals(options.get("--xds-port")) ? "0" : "15012";
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
