package io.inboard.mesh.gateway;

import io.inboard.mesh.api.MeshBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The gateway's command line (see {@link IngressGateway#main}): flags override the injected
 * environment, which a no-argument {@code Mesh} reads; only what neither gives gets the
 * gateway's own defaults.
 */
record GatewayFlags(Map<String, String> values, Map<String, String> labels,
    Function<String, String> env) {

  private static final Map<String, String> FORMS = Map.ofEntries(
      Map.entry("--control-plane", "HOST:PORT"), Map.entry("--ca-address", "HOST:PORT"),
      Map.entry("--identity-token-file", "FILE"), Map.entry("--ca-root-cert", "FILE"),
      Map.entry("--namespace", "NAMESPACE"), Map.entry("--workload-name", "NAME"),
      Map.entry("--service-account", "NAME"), Map.entry("--label", "KEY=VALUE"),
      Map.entry("--bind-host", "HOST"), Map.entry("--health-port", "PORT (0-65535)"),
      Map.entry("--admin-port", "PORT (0-65535)"));

  /**
   * @throws IllegalArgumentException naming the flag, the value and the expected form
   */
  static GatewayFlags parse(String[] args, Function<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      String form = FORMS.get(name);
      if (form == null) {
        throw new IllegalArgumentException("unknown flag '" + a + "' (expected one of "
            + new java.util.TreeSet<>(FORMS.keySet()) + ")");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + ": no value (expected: " + name + " " + form
              + ")");
        }
        value = args[++i];
      }
      check(name, value, form);
      if (name.equals("--label")) {
        int e = value.indexOf('=');
        labels.put(value.substring(0, e), value.substring(e + 1));
      } else {
        values.put(name, value);
      }
    }
    if (!values.containsKey("--control-plane") && blank(env.apply("INBOARD_CONTROL_PLANE"))) {
      throw new IllegalArgumentException("--control-plane: not given and env"
          + " INBOARD_CONTROL_PLANE not set (expected: --control-plane HOST:PORT)");
    }
    return new GatewayFlags(Map.copyOf(values), labels, env);
  }

  private static void check(String name, String value, String form) {
    boolean ok = switch (name) {
      case "--control-plane", "--ca-address" -> value.matches("[^:/\\s]+:\\d{1,5}");
      case "--label" -> value.indexOf('=') > 0;
      case "--health-port", "--admin-port" -> value.matches("\\d{1,5}")
          && Integer.parseInt(value) <= 65535;
      default -> !value.isBlank();
    };
    if (!ok) {
      throw new IllegalArgumentException(name + ": '" + value + "' (expected: " + name + " "
          + form + ")");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  String bindHost() {
    return values.getOrDefault("--bind-host", "0.0.0.0");
  }

  int healthPort() {
    return Integer.parseInt(values.getOrDefault("--health-port",
        String.valueOf(IngressGateway.DEFAULT_HEALTH_PORT)));
  }

  /** {@code b} with what the flags give and the gateway's defaults for what nothing gives. */
  MeshBuilder mesh(MeshBuilder b) {
    b.controlPlane(values.getOrDefault("--control-plane", env.apply("INBOARD_CONTROL_PLANE")));
    String ns = values.get("--namespace");
    if (ns != null || blank(env.apply("POD_NAMESPACE"))) {
      b.namespace(ns != null ? ns : "istio-system");
    }
    String name = values.get("--workload-name");
    if (name != null || blank(env.apply("INBOARD_WORKLOAD_NAME"))) {
      b.workloadName(name != null ? name : "istio-ingressgateway");
    }
    String sa = values.get("--service-account");
    if (sa != null || blank(env.apply("SERVICE_ACCOUNT"))) {
      b.serviceAccount(sa != null ? sa : "istio-ingressgateway-service-account");
    }
    if (!labels.isEmpty()) {
      b.labels(labels);
    } else if (blank(env.apply("INBOARD_LABELS")) && blank(env.apply("INBOARD_POD_LABELS_FILE"))) {
      b.labels(Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"));
    }
    if (values.containsKey("--ca-address")) {
      b.caAddress(values.get("--ca-address"));
    }
    if (values.containsKey("--identity-token-file")) {
      b.identityTokenFile(Path.of(values.get("--identity-token-file")));
    }
    if (values.containsKey("--ca-root-cert")) {
      b.caRootCertFile(Path.of(values.get("--ca-root-cert")));
    }
    if (values.containsKey("--admin-port")) {
      b.adminPort(Integer.parseInt(values.get("--admin-port")));
    }
    return b;
  }
}
