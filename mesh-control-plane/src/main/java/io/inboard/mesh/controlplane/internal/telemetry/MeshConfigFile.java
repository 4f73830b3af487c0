package io.inboard.mesh.controlplane.internal.telemetry;

import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.internal.parse.FieldException;
import io.inboard.mesh.controlplane.internal.parse.Node;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads Istio's MeshConfig YAML (the {@code mesh} key of the {@code istio} ConfigMap) for what
 * telemetry needs:
 *
 * <ul>
 *   <li>{@code extensionProviders[]}: {@code name} and {@code zipkin: {service, port, path?}}
 *       (spans to {@code http://<service>:<port><path>}, path {@code /api/v2/spans} by default)
 *       or {@code opentelemetry: {service, port, http?: {path?}}} (OTLP/gRPC to {@code
 *       http://<service>:<port>}, or OTLP/HTTP to {@code <path>}, {@code /v1/traces} by
 *       default, when {@code http} is set); a service written {@code namespace/host} is
 *       reached at {@code host};
 *   <li>{@code defaultProviders.tracing} and {@code .accessLogging};
 *   <li>{@code enableTracing}.
 * </ul>
 *
 * Other MeshConfig fields and provider kinds are accepted and listed as not honoured; a field
 * read here with a wrong value fails, naming the file, the field, the value and what was
 * expected.
 */
public final class MeshConfigFile {
  private static final Set<String> READ = Set.of("extensionProviders", "defaultProviders",
      "enableTracing");
  private static final Set<String> OTHER_PROVIDER_KINDS = Set.of("prometheus", "stackdriver",
      "envoyFileAccessLog", "envoyOtelAls", "envoyHttpAls", "envoyTcpAls", "skywalking",
      "datadog", "lightstep", "sds", "envoyExtAuthzHttp", "envoyExtAuthzGrpc");

  private static final Set<String> BUILT_IN_LOGS = Set.of("envoy", "envoy-json");

  private MeshConfigFile() {}

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException naming the file, the field, the value and what was
   *     expected, or why the file cannot be read
   */
  public static TelemetryMeshConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("mesh config " + file + ": cannot be read (" + e
          + ")", e);
    }
    return parse(file.toString(), text);
  }

  /** Reads the MeshConfig YAML {@code text}; {@code source} names it in errors. */
  public static TelemetryMeshConfig parse(String source, String text) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new IllegalArgumentException("mesh config " + source + ": not valid YAML ("
          + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    try {
      return parse(new Node(doc == null ? java.util.Map.of() : doc, ""));
    } catch (FieldException e) {
      throw new IllegalArgumentException("mesh config " + source + ": " + e.getMessage(), e);
    }
  }

  private static TelemetryMeshConfig parse(Node root) {
    List<String> warnings = new ArrayList<>();
    for (String key : root.keys()) {
      if (!READ.contains(key)) {
        warnings.add(key + ": not read by Inboard (it reads extensionProviders,"
            + " defaultProviders and enableTracing)");
      }
    }
    List<TraceExporter> tracing = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Node p : root.get("extensionProviders").list()) {
      String name = p.get("name").string();
      if (name.isEmpty() || !names.add(name.toLowerCase(Locale.ROOT))) {
        throw p.get("name").fail("a non-empty name no other provider has");
      }
      List<String> kinds = p.keys().stream().filter(k -> !k.equals("name")).toList();
      if (kinds.size() != 1) {
        throw p.fail("a name and exactly one provider kind, such as zipkin or opentelemetry");
      }
      String kind = kinds.get(0);
      Node config = p.get(kind);
      if (kind.equals("zipkin")) {
        String path = config.get("path").optString().orElse("/api/v2/spans");
        tracing.add(new TraceExporter(name, TraceExporter.Kind.ZIPKIN,
            url(config, path)));
      } else if (kind.equals("opentelemetry")) {
        Node http = config.get("http");
        tracing.add(http.present()
            ? new TraceExporter(name, TraceExporter.Kind.OTLP_HTTP,
                url(config, http.get("path").optString().orElse("/v1/traces")))
            : new TraceExporter(name, TraceExporter.Kind.OTLP_GRPC, url(config, "")));
      } else if (kind.equals("prometheus") || kind.equals("envoyFileAccessLog")
          && BUILT_IN_LOGS.contains(name.toLowerCase(Locale.ROOT))) {
        // Istio's own definitions of what Inboard has built in
        if (config.get("logFormat").present()) {
          warnings.add(config.get("logFormat").path() + ": not honoured: provider '" + name
              + "' writes Istio's default " + (name.equalsIgnoreCase("envoy") ? "text line"
              : "JSON fields"));
        }
      } else if (OTHER_PROVIDER_KINDS.contains(kind)) {
        warnings.add(p.path() + "." + kind + ": provider '" + name + "' not honoured: Inboard"
            + " exports spans to zipkin and opentelemetry providers, and writes the built-in"
            + " envoy and envoy-json access logs");
      } else {
        throw new FieldException(p.path() + "." + kind, "not an Istio provider kind (expected:"
            + " zipkin, opentelemetry, or another kind of Istio's MeshConfig.ExtensionProvider)");
      }
    }
    Node defaults = root.get("defaultProviders");
    List<String> defaultTracing = names(defaults.get("tracing"));
    List<String> defaultLogging = names(defaults.get("accessLogging"));
    for (String key : defaults.keys()) {
      boolean prometheusOnly = key.equals("metrics")
          && names(defaults.get("metrics")).stream().allMatch("prometheus"::equalsIgnoreCase);
      if (!key.equals("tracing") && !key.equals("accessLogging") && !prometheusOnly) {
        warnings.add("defaultProviders." + key + ": not read by Inboard (metrics are always"
            + " Prometheus')");
      }
    }
    for (int i = 0; i < defaultTracing.size(); i++) {
      String n = defaultTracing.get(i);
      if (tracing.stream().noneMatch(e -> e.provider().equalsIgnoreCase(n))) {
        throw defaults.get("tracing").list().get(i).fail("the name of a zipkin or"
            + " opentelemetry provider in extensionProviders "
            + tracing.stream().map(TraceExporter::provider).toList());
      }
    }
    boolean enableTracing = true;
    Node enable = root.get("enableTracing");
    if (enable.present()) {
      if (!(enable.value() instanceof Boolean b)) {
        throw enable.fail("true or false");
      }
      enableTracing = b;
    }
    return new TelemetryMeshConfig(tracing, defaultTracing, defaultLogging, enableTracing,
        warnings);
  }

  private static List<String> names(Node list) {
    List<String> out = new ArrayList<>();
    for (Node n : list.list()) {
      String name = n.string();
      if (name.isEmpty()) {
        throw n.fail("a provider name");
      }
      out.add(name);
    }
    return out;
  }

  private static URI url(Node config, String path) {
    String service = config.get("service").string();
    if (service.isEmpty()) {
      throw config.get("service").fail("a host name such as zipkin.istio-system.svc");
    }
    String host = service.substring(service.indexOf('/') + 1);
    int port = config.get("port").integer(1, 65535, 0);
    if (port == 0) {
      throw config.get("port").fail("an integer 1..65535");
    }
    if (!path.isEmpty() && !path.startsWith("/")) {
      throw config.get("path").present() ? config.get("path").fail("a path starting with /")
          : config.get("http").get("path").fail("a path starting with /");
    }
    try {
      return new URI("http", null, host, port, path.isEmpty() ? null : path, null, null);
    } catch (java.net.URISyntaxException e) {
      throw config.get("service").fail("a host name such as zipkin.istio-system.svc");
    }
  }
}
