package io.inboard.mesh.security.internal.inbound;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the control plane hands a workload the Istio {@code Telemetry} resources that apply to it:
 * as written, in the {@code virtualInbound} listener's {@code
 * metadata.filter_metadata["io.inboard.mesh"]}, under {@value #TELEMETRY} (a list of {@code
 * {namespace, name, spec}} in precedence order: root namespace, namespace, workload; the mesh
 * config's default providers come first, as a source of their own) and {@value
 * #TRACE_EXPORTERS} (the mesh config's tracing providers: a list of {@code {provider, kind,
 * endpoint}}, kind one of {@link TraceExporter.Kind}). Workloads compile what they receive with
 * {@code TelemetryPolicy.compile}; the control plane compiled the same text before sending it.
 */
public final class TelemetryWire {
  /** The key of the Telemetry list. */
  public static final String TELEMETRY = "telemetry";
  /** The key of the tracing-provider list. */
  public static final String TRACE_EXPORTERS = "traceExporters";

  private TelemetryWire() {}

  /** Writes both lists into {@code into} (the listener's Inboard metadata). */
  public static Struct.Builder write(Struct.Builder into, List<TelemetrySource> telemetry,
      List<TraceExporter> exporters) {
    ListValue.Builder sources = ListValue.newBuilder();
    for (TelemetrySource s : telemetry) {
      sources.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("namespace", string(s.namespace()))
          .putFields("name", string(s.name()))
          .putFields("spec", SecurityPolicyWire.toValue(s.spec()))));
    }
    ListValue.Builder providers = ListValue.newBuilder();
    for (TraceExporter e : exporters) {
      providers.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("provider", string(e.provider()))
          .putFields("kind", string(e.kind().name()))
          .putFields("endpoint", string(e.endpoint().toString()))));
    }
    into.putFields(TELEMETRY, Value.newBuilder().setListValue(sources).build());
    into.putFields(TRACE_EXPORTERS, Value.newBuilder().setListValue(providers).build());
    return into;
  }

  /** The Telemetry sources in {@code metadata}, in order; empty when it has none. */
  public static List<TelemetrySource> telemetry(Struct metadata) {
    List<TelemetrySource> out = new ArrayList<>();
    List<Map<String, Value>> items = items(metadata, TELEMETRY, "{namespace, name, spec}");
    for (int i = 0; i < items.size(); i++) {
      Map<String, Value> f = items.get(i);
      String at = TELEMETRY + "[" + i + "]";
      Object spec = f.containsKey("spec") ? SecurityPolicyWire.toJava(f.get("spec")) : Map.of();
      if (!(spec instanceof Map<?, ?>)) {
        throw new IllegalArgumentException(at + ".spec: " + spec + " (expected: a mapping)");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> specMap = (Map<String, Object>) spec;
      out.add(new TelemetrySource(text(f, "namespace", at), text(f, "name", at), specMap));
    }
    return List.copyOf(out);
  }

  /** The tracing providers in {@code metadata}; empty when it has none. */
  public static List<TraceExporter> exporters(Struct metadata) {
    List<TraceExporter> out = new ArrayList<>();
    List<Map<String, Value>> items = items(metadata, TRACE_EXPORTERS, "{provider, kind, endpoint}");
    for (int i = 0; i < items.size(); i++) {
      Map<String, Value> f = items.get(i);
      String at = TRACE_EXPORTERS + "[" + i + "]";
      TraceExporter.Kind kind;
      String k = text(f, "kind", at);
      try {
        kind = TraceExporter.Kind.valueOf(k);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ".kind: '" + k + "' (expected: one of "
            + Arrays.toString(TraceExporter.Kind.values()) + ")", e);
      }
      String endpoint = text(f, "endpoint", at);
      try {
        out.add(new TraceExporter(text(f, "provider", at), kind, new URI(endpoint)));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(at + ".endpoint: '" + endpoint
            + "' (expected: a URL such as http://zipkin:9411/api/v2/spans)", e);
      }
    }
    return List.copyOf(out);
  }

  private static List<Map<String, Value>> items(Struct metadata, String key, String shape) {
    Value v = metadata.getFieldsMap().get(key);
    if (v == null) {
      return List.of();
    }
    if (!v.hasListValue()) {
      throw new IllegalArgumentException(key + ": " + v.getKindCase()
          + " (expected: a list of " + shape + ")");
    }
    List<Map<String, Value>> out = new ArrayList<>();
    for (int i = 0; i < v.getListValue().getValuesCount(); i++) {
      Value item = v.getListValue().getValues(i);
      if (!item.hasStructValue()) {
        throw new IllegalArgumentException(key + "[" + i + "]: " + item.getKindCase()
            + " (expected: " + shape + ")");
      }
      out.add(item.getStructValue().getFieldsMap());
    }
    return out;
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static String text(Map<String, Value> f, String key, String at) {
    Value v = f.get(key);
    if (v == null || !v.hasStringValue()) {
      throw new IllegalArgumentException(at + "." + key + ": " + (v == null ? "missing"
          : v.getKindCase()) + " (expected: a string)");
    }
    return v.getStringValue();
  }
}
