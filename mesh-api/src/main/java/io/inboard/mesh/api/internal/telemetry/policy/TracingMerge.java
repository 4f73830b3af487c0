package io.inboard.mesh.api.internal.telemetry.policy;

import io.inboard.mesh.api.internal.telemetry.policy.TracingRules.CustomTag;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges {@code tracing[]} entries in precedence order, as Istio's {@code Telemetries.Tracing}:
 * for the sides an entry's {@code match.mode} selects, each field it sets replaces the earlier
 * value ({@code customTags} as a whole, not tag by tag), and {@code providers} choose the
 * first named provider. The chosen providers are looked up, case-insensitively as Istio, among
 * the mesh config's exporters.
 */
final class TracingMerge {
  private final Map<WorkloadMode, State> sides = new EnumMap<>(WorkloadMode.class);

  TracingMerge() {
    for (WorkloadMode m : WorkloadMode.values()) {
      sides.put(m, new State());
    }
  }

  /** One side's merged fields; {@code provider} is where it was named, for warnings. */
  private static final class State {
    double sampling = TracingRules.DEFAULT.samplingPercentage();
    boolean disableSpanReporting;
    Map<String, CustomTag> customTags = Map.of();
    String provider;
    SpecField providerField;
  }

  /** Merges one {@code tracing[]} entry over those before it. */
  void add(SpecField entry, List<TelemetryWarning> warnings) {
    entry.onlyKeys(Set.of("match", "providers", "randomSamplingPercentage",
        "disableSpanReporting", "customTags", "useRequestIdForTraceSampling", "enableIstioTags"));
    Set<WorkloadMode> modes = WorkloadMode.matched(entry.get("match").onlyKeys(Set.of("mode")));
    List<String> providers = ProviderNames.of(entry.get("providers"));
    if (providers.size() > 1) {
      warnings.add(entry.get("providers").warn("only the first provider, '" + providers.get(0)
          + "', is used (as Istio: one tracing provider per side)"));
    }
    SpecField sampling = entry.get("randomSamplingPercentage");
    Double percentage = null;
    if (sampling.present()) {
      percentage = sampling.number();
      if (!(percentage >= 0 && percentage <= 100)) {
        throw sampling.fail("0..100");
      }
    }
    SpecField disable = entry.get("disableSpanReporting");
    Boolean disabled = disable.present() ? disable.bool() : null;
    Map<String, CustomTag> tags = entry.get("customTags").present()
        ? customTags(entry.get("customTags")) : null;
    for (String unhonoured : List.of("useRequestIdForTraceSampling", "enableIstioTags")) {
      SpecField f = entry.get(unhonoured);
      if (f.present()) {
        f.bool();
        warnings.add(f.warn("not honoured: Inboard samples by the trace id and always sets"
            + " Istio's span tags"));
      }
    }
    for (WorkloadMode mode : modes) {
      State s = sides.get(mode);
      if (!providers.isEmpty()) {
        s.provider = providers.get(0);
        s.providerField = entry.get("providers");
      }
      if (percentage != null) {
        s.sampling = percentage;
      }
      if (disabled != null) {
        s.disableSpanReporting = disabled;
      }
      if (tags != null) {
        s.customTags = tags;
      }
    }
  }

  private static Map<String, CustomTag> customTags(SpecField field) {
    Map<String, CustomTag> out = new LinkedHashMap<>();
    field.map().forEach((name, tag) -> {
      if (name.isEmpty()) {
        throw tag.fail("a non-empty tag name");
      }
      tag.onlyKeys(Set.of("literal", "environment", "header"));
      if (tag.map().size() != 1) {
        throw tag.fail("exactly one of literal, environment, header");
      }
      SpecField literal = tag.get("literal");
      SpecField env = tag.get("environment");
      SpecField header = tag.get("header");
      if (literal.present()) {
        literal.onlyKeys(Set.of("value"));
        out.put(name, new CustomTag.Literal(literal.get("value").string()));
      } else if (env.present()) {
        env.onlyKeys(Set.of("name", "defaultValue"));
        out.put(name, new CustomTag.Environment(env.get("name").name(), optional(env)));
      } else {
        header.onlyKeys(Set.of("name", "defaultValue"));
        out.put(name, new CustomTag.Header(
            header.get("name").name().toLowerCase(Locale.ROOT), optional(header)));
      }
    });
    return out;
  }

  private static String optional(SpecField tag) {
    SpecField d = tag.get("defaultValue");
    return d.present() ? d.string() : "";
  }

  /** The merged rules of one side. */
  TracingRules rules(WorkloadMode mode) {
    State s = sides.get(mode);
    return new TracingRules(s.sampling, s.disableSpanReporting, s.customTags);
  }

  /**
   * The exporters the sides chose, from {@code available}; a name with no exporter is
   * reported, and spans then go where the OpenTelemetry environment says.
   */
  List<TraceExporter> exporters(List<TraceExporter> available, List<TelemetryWarning> warnings) {
    List<TraceExporter> out = new ArrayList<>();
    for (State s : sides.values()) {
      if (s.provider == null) {
        continue;
      }
      TraceExporter found = available.stream()
          .filter(e -> e.provider().equalsIgnoreCase(s.provider)).findFirst().orElse(null);
      if (found == null) {
        TelemetryWarning w = s.providerField.warn("provider '" + s.provider + "' is not a"
            + " tracing provider of the mesh config (expected one of "
            + available.stream().map(TraceExporter::provider).toList()
            + "); spans are not sent to it");
        if (!warnings.contains(w)) {
          warnings.add(w);
        }
      } else if (!out.contains(found)) {
        out.add(found);
      }
    }
    return out;
  }
}
