package io.inboard.examples.bookinfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How one workload is started: where it listens, the address it registers, its admin port and
 * the control planes it talks to.
 *
 * @param bind the address the service listens on (default: {@code instanceIp}; {@code 0.0.0.0}
 *     in a pod)
 * @param instanceIp the address other workloads reach it at, announced to the control plane
 *     (default: env {@code INSTANCE_IP}, then {@code 127.0.0.1})
 * @param port the service port (default 9080, as in Istio's bookinfo)
 * @param adminPort the per-workload admin server's port (default 15020; 0 for ephemeral)
 * @param controlPlanes {@code host:port} of each control plane (default {@code 127.0.0.1:15010})
 * @param namespace the workload's namespace (default: env {@code POD_NAMESPACE}, then
 *     {@code default})
 * @param failPercent ratings only: answer this share of requests with 500, like Istio's
 *     {@code v-faulty} ratings (which uses 503) (default 0)
 * @param responseDelayMillis details only: answer each request after this many milliseconds,
 *     so that concurrent calls overlap as they do against a real backend under load (default 0)
 * @param identity where the workload's certificate comes from; {@code null} leaves it to the
 *     mesh's defaults (env {@code CA_ADDR}, {@code INBOARD_IDENTITY_TOKEN_FILE},
 *     {@code INBOARD_CA_ROOT_CERT}, then Istio's mounted token and root certificate)
 */
public record WorkloadOptions(String bind, String instanceIp, int port, int adminPort,
    List<String> controlPlanes, String namespace, int failPercent, int responseDelayMillis,
    Identity identity) {

  /**
   * The mesh CA and the credentials a workload proves its service account with.
   *
   * @param caAddress the CA's {@code host:port} (Istio's 15012)
   * @param tokenFile the credential the control plane issued for the workload's service account
   * @param rootCertFile the mesh's root bundle, which verifies the CA and peers
   */
  public record Identity(String caAddress, Path tokenFile, Path rootCertFile) {}

  public static final int DEFAULT_PORT = 9080;
  public static final int DEFAULT_ADMIN_PORT = 15020;
  public static final String DEFAULT_CONTROL_PLANE = "127.0.0.1:15010";

  private static final String USAGE = "usage: bookinfo WORKLOAD [--ip ADDR] [--bind ADDR]"
      + " [--port N] [--admin-port N] [--control-plane HOST:PORT[,HOST:PORT...]]"
      + " [--namespace NS] [--fail-percent N] [--response-delay-ms N]"
      + " [--ca-address HOST:PORT --identity-token-file FILE --ca-root-cert FILE]";

  public WorkloadOptions {
    controlPlanes = List.copyOf(controlPlanes);
  }

  /** Options for a workload at {@code ip} talking to {@code controlPlane}, defaults otherwise. */
  public static WorkloadOptions at(String ip, int port, int adminPort, String controlPlane) {
    return new WorkloadOptions(ip, ip, port, adminPort, List.of(controlPlane), "default", 0, 0,
        null);
  }

  /** The same options, with the workload's certificate from {@code id}. */
  public WorkloadOptions identity(Identity id) {
    return new WorkloadOptions(bind, instanceIp, port, adminPort, controlPlanes, namespace,
        failPercent, responseDelayMillis, id);
  }

  /** The same options, with {@code percent} of requests failing (ratings only). */
  public WorkloadOptions failing(int percent) {
    return new WorkloadOptions(bind, instanceIp, port, adminPort, controlPlanes, namespace,
        percent, responseDelayMillis, identity);
  }

  /** The same options, answering each request after {@code millis} (details only). */
  public WorkloadOptions responseDelay(int millis) {
    return new WorkloadOptions(bind, instanceIp, port, adminPort, controlPlanes, namespace,
        failPercent, millis, identity);
  }

  /**
   * Parses the options after the workload name.
   *
   * @throws IllegalArgumentException naming the option, its value and what was expected
   */
  public static WorkloadOptions parse(List<String> args, Map<String, String> env) {
    String ip = env.getOrDefault("INSTANCE_IP", "127.0.0.1");
    String bind = null;
    int port = DEFAULT_PORT;
    int adminPort = DEFAULT_ADMIN_PORT;
    List<String> controlPlanes = List.of(
        env.getOrDefault("INBOARD_CONTROL_PLANE", DEFAULT_CONTROL_PLANE).split(","));
    String namespace = env.getOrDefault("POD_NAMESPACE", "default");
    int failPercent = 0;
    int responseDelay = 0;
    String caAddress = null;
    Path tokenFile = null;
    Path rootCert = null;
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String option = rest.remove(0);
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(option + ": no value (" + USAGE + ")");
      }
      String value = rest.remove(0);
      switch (option) {
        case "--ip" -> ip = value;
        case "--bind" -> bind = value;
        case "--port" -> port = number(option, value, 1, 65535);
        case "--admin-port" -> adminPort = number(option, value, -1, 65535);
        case "--control-plane" -> controlPlanes = Arrays.asList(value.split(","));
        case "--namespace" -> namespace = value;
        case "--fail-percent" -> failPercent = number(option, value, 0, 100);
        case "--response-delay-ms" -> responseDelay = number(option, value, 0, 60_000);
        case "--ca-address" -> caAddress = value;
        case "--identity-token-file" -> tokenFile = Path.of(value);
        case "--ca-root-cert" -> rootCert = Path.of(value);
        default -> throw new IllegalArgumentException("'" + option + "': unknown option ("
            + USAGE + ")");
      }
    }
    if ((caAddress == null) != (tokenFile == null) || (tokenFile == null) != (rootCert == null)) {
      throw new IllegalArgumentException("--ca-address, --identity-token-file, --ca-root-cert: "
          + "only some given (expected: all three, or none to use the environment's)");
    }
    return new WorkloadOptions(bind != null ? bind : ip, ip, port, adminPort, controlPlanes,
        namespace, failPercent, responseDelay,
        caAddress == null ? null : new Identity(caAddress, tokenFile, rootCert));
  }

  private static int number(String option, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below, with the range
    }
    throw new IllegalArgumentException(option + ": '" + value + "' (expected: an integer "
        + min + ".." + max + ")");
  }

  static String usage() {
    return USAGE;
  }
}
