package io.inboard.mesh.api.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the workload is when the application does not say: read from the environment a pod gets
 * (the downward API variables Istio's injector also sets) and the service-account mount.
 */
public final class WorkloadDefaults {

  private static final Logger log = LoggerFactory.getLogger(WorkloadDefaults.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private WorkloadDefaults() {}

  /** Env {@code INBOARD_WORKLOAD_NAME}, then {@code HOSTNAME}, then the {@code app} label. */
  public static String workloadName(Map<String, String> labels) {
    String env = env("INBOARD_WORKLOAD_NAME");
    if (env != null) {
      return env;
    }
    String host = env("HOSTNAME");
    return host != null ? host : labels.getOrDefault("app", "unknown");
  }

  /** Env {@code POD_NAMESPACE}, then the service account's namespace file, then {@code default}. */
  public static String namespace() {
    String env = env("POD_NAMESPACE");
    if (env != null) {
      return env;
    }
    try {
      if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
        return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
      }
    } catch (IOException e) {
      log.debug("Cannot read {}", SERVICE_ACCOUNT_NAMESPACE, e);
    }
    return "default";
  }

  /**
   * The cluster's id for the {@code source_cluster}/{@code destination_cluster} labels: env
   * {@code CLUSTER_ID} (as Istio's injector sets it), then Istio's default {@code Kubernetes}.
   */
  public static String clusterId() {
    String env = env("CLUSTER_ID");
    return env != null ? env : "Kubernetes";
  }

  /** Env {@code SERVICE_ACCOUNT} (as Istio's injector sets it), then {@code default}. */
  public static String serviceAccount() {
    String env = env("SERVICE_ACCOUNT");
    return env != null ? env : "default";
  }

  /**
   * Env {@code INSTANCE_IP} (comma-separated allowed), then this host's address, then
   * {@code 127.0.0.1}.
   */
  public static List<String> instanceIps() {
    String env = env("INSTANCE_IP");
    if (env != null) {
      return Arrays.stream(env.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    try {
      return List.of(InetAddress.getLocalHost().getHostAddress());
    } catch (UnknownHostException e) {
      log.debug("Cannot resolve the local host's address; announcing 127.0.0.1", e);
      return List.of("127.0.0.1");
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
