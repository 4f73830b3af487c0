package io.inboard.mesh.api.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the workload is when the application does not say: read from the environment a pod gets
 * (what Inboard's injector adds, see {@code internal.inject} in the control plane: the downward
 * API variables Istio's injector also sets, the labels file, the control plane's address) and
 * the service-account mount. Every method has a form taking the environment as a function, so
 * that tests can feed values; the others read this process's environment.
 */
public final class WorkloadDefaults {

  /** Env: {@code host:port[,host:port]} of the control planes; set, it selects xDS mode. */
  public static final String CONTROL_PLANE_ENV = "INBOARD_CONTROL_PLANE";
  /** Env: the labels file (downward API format, {@code key="value"} per line). */
  public static final String LABELS_FILE_ENV = "INBOARD_POD_LABELS_FILE";
  /** Env: labels as {@code k=v,k2=v2} (local mode); the file wins when both are set. */
  public static final String LABELS_ENV = "INBOARD_LABELS";

  private static final Logger log = LoggerFactory.getLogger(WorkloadDefaults.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private WorkloadDefaults() {}

  /** Env {@code INBOARD_WORKLOAD_NAME}, then {@code HOSTNAME}, then the {@code app} label. */
  public static String workloadName(Map<String, String> labels) {
    return workloadName(labels, System::getenv);
  }

  /** {@link #workloadName(Map)} reading {@code env}. */
  public static String workloadName(Map<String, String> labels, Function<String, String> env) {
    String name = env(env, "INBOARD_WORKLOAD_NAME");
    if (name != null) {
      return name;
    }
    String host = env(env, "HOSTNAME");
    return host != null ? host : labels.getOrDefault("app", "unknown");
  }

  /** Env {@code POD_NAMESPACE}, then the service account's namespace file, then {@code default}. */
  public static String namespace() {
    return namespace(System::getenv);
  }

  /** {@link #namespace()} reading {@code env}. */
  public static String namespace(Function<String, String> env) {
    String ns = env(env, "POD_NAMESPACE");
    if (ns != null) {
      return ns;
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
    String id = env(System::getenv, "CLUSTER_ID");
    return id != null ? id : "Kubernetes";
  }

  /** Env {@code SERVICE_ACCOUNT} (as Istio's injector sets it), then {@code default}. */
  public static String serviceAccount() {
    return serviceAccount(System::getenv);
  }

  /** {@link #serviceAccount()} reading {@code env}. */
  public static String serviceAccount(Function<String, String> env) {
    String sa = env(env, "SERVICE_ACCOUNT");
    return sa != null ? sa : "default";
  }

  /**
   * Env {@code INSTANCE_IP} (comma-separated allowed), then this host's address, then
   * {@code 127.0.0.1}.
   */
  public static List<String> instanceIps() {
    return instanceIps(System::getenv);
  }

  /** {@link #instanceIps()} reading {@code env}. */
  public static List<String> instanceIps(Function<String, String> env) {
    String ips = env(env, "INSTANCE_IP");
    if (ips != null) {
      return Arrays.stream(ips.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    try {
      return List.of(InetAddress.getLocalHost().getHostAddress());
    } catch (UnknownHostException e) {
      log.debug("Cannot resolve the local host's address; announcing 127.0.0.1", e);
      return List.of("127.0.0.1");
    }
  }

  /**
   * The control planes env {@value #CONTROL_PLANE_ENV} names ({@code host:port}, several
   * comma-separated), or an empty list when it is unset or blank.
   *
   * @throws IllegalArgumentException for an entry not in {@code host:port} form
   */
  public static List<String> controlPlanes(Function<String, String> env) {
    String value = env(env, CONTROL_PLANE_ENV);
    if (value == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String a : value.split(",")) {
      String address = a.trim();
      if (!address.matches("[^:/\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException("controlPlane: '" + address + "' (from env "
            + CONTROL_PLANE_ENV + "='" + value + "') (expected: host:port, several separated"
            + " by commas, such as inboard-control-plane.inboard-system.svc:15010)");
      }
      out.add(address);
    }
    return List.copyOf(out);
  }

  /**
   * The workload's labels from the environment: the file env {@value #LABELS_FILE_ENV} names
   * (Kubernetes' downward API format: {@code key="value"} per line, the value quoted with
   * backslash escapes), else env {@value #LABELS_ENV} ({@code k=v,k2=v2}), else none.
   *
   * @throws IllegalArgumentException when the named file cannot be read or a line or entry is
   *     malformed, naming the file or variable, the line and what was expected
   */
  public static Map<String, String> labels(Function<String, String> env) {
    String file = env(env, LABELS_FILE_ENV);
    if (file != null) {
      try {
        return DownwardApiLabels.parse(Files.readString(Path.of(file)), file);
      } catch (IOException e) {
        throw new IllegalArgumentException("labels: '" + file + "' (from env " + LABELS_FILE_ENV
            + ") (expected: a readable file: " + e.getMessage() + ")", e);
      }
    }
    String list = env(env, LABELS_ENV);
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null) {
      return out;
    }
    for (String entry : list.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("labels: '" + entry.trim() + "' (from env "
            + LABELS_ENV + ") (expected: key=value, entries separated by commas)");
      }
      out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return out;
  }

  private static String env(Function<String, String> env, String name) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
