package io.inboard.mesh.api.internal.telemetry.policy;

import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagOverride;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagValue;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges {@code metrics[]} entries in precedence order, as Istio's {@code mergeMetrics}: an
 * entry's {@code providers} replace the parent's (none: inherit them); each override applies
 * to the metrics and sides it matches, a later {@code disabled} replacing an earlier one and a
 * later tag override replacing an earlier one for the same label. Inboard's metrics are
 * Prometheus', so only entries whose providers include {@code prometheus} change them, and a
 * workload whose last-named providers leave out {@code prometheus} records none.
 *
 * <p>Unlike Istio's code, which turns a provider's whole stats filter off for any {@code
 * ALL_METRICS} + {@code disabled: true}, the override here disables every metric on the sides
 * its {@code mode} names, as the Telemetry reference documents it.
 */
final class MetricsMerge {
  /** Istio's metric enum names and the Prometheus metric each is. */
  static final Map<String, String> METRICS = orderedMetrics();
  private static final List<String> TCP_METRICS = List.of("TCP_OPENED_CONNECTIONS",
      "TCP_CLOSED_CONNECTIONS", "TCP_SENT_BYTES", "TCP_RECEIVED_BYTES");
  private static final String PROMETHEUS = "prometheus";

  private final Map<WorkloadMode, Map<String, Boolean>> disabled =
      new EnumMap<>(WorkloadMode.class);
  private final Map<WorkloadMode, Map<String, Map<String, TagOverride>>> tags =
      new EnumMap<>(WorkloadMode.class);
  private List<String> parentProviders = List.of(PROMETHEUS);
  private List<String> inScope = List.of(PROMETHEUS);

  MetricsMerge() {
    for (WorkloadMode m : WorkloadMode.values()) {
      disabled.put(m, new HashMap<>());
      tags.put(m, new HashMap<>());
    }
  }

  /** Merges one {@code metrics[]} entry over those before it. */
  void add(SpecField entry, List<TelemetryWarning> warnings) {
    entry.onlyKeys(Set.of("providers", "overrides", "reportingInterval"));
    if (entry.get("reportingInterval").present()) {
      warnings.add(entry.get("reportingInterval").warn("not honoured: it applies to TCP metrics,"
          + " which a proxyless workload does not record"));
    }
    List<String> named = ProviderNames.of(entry.get("providers"));
    for (String n : named) {
      if (!n.equalsIgnoreCase(PROMETHEUS)) {
        warnings.add(entry.get("providers").warn("provider '" + n + "' not honoured: Inboard"
            + " records metrics for Prometheus only (expected: prometheus)"));
      }
    }
    List<String> providers = named.isEmpty() ? parentProviders : named;
    parentProviders = providers;
    if (!named.isEmpty()) {
      inScope = named;
    }
    boolean prometheus = providers.stream().anyMatch(PROMETHEUS::equalsIgnoreCase);
    for (SpecField override : entry.get("overrides").list()) {
      apply(override, prometheus, warnings);
    }
  }

  private void apply(SpecField override, boolean prometheus, List<TelemetryWarning> warnings) {
    override.onlyKeys(Set.of("match", "disabled", "tagOverrides"));
    SpecField match = override.get("match").onlyKeys(Set.of("metric", "customMetric", "mode"));
    Set<WorkloadMode> modes = WorkloadMode.matched(match);
    List<String> metrics = metrics(match, warnings);
    Optional<Boolean> off = override.get("disabled").present()
        ? Optional.of(override.get("disabled").bool()) : Optional.empty();
    Map<String, TagOverride> changes = tagOverrides(override.get("tagOverrides"), warnings);
    if (!prometheus) {
      return;
    }
    for (WorkloadMode mode : modes) {
      for (String metric : metrics) {
        off.ifPresent(d -> disabled.get(mode).put(metric, d));
        tags.get(mode).computeIfAbsent(metric, k -> new HashMap<>()).putAll(changes);
      }
    }
  }

  private static List<String> metrics(SpecField match, List<TelemetryWarning> warnings) {
    SpecField metric = match.get("metric");
    SpecField custom = match.get("customMetric");
    if (metric.present() && custom.present()) {
      throw custom.fail("absent when match.metric is set (one of metric, customMetric)");
    }
    if (custom.present()) {
      custom.name();
      warnings.add(custom.warn("not honoured: Inboard records Istio's standard metrics only;"
          + " this override changes nothing"));
      return List.of();
    }
    List<String> names = new ArrayList<>(List.of("ALL_METRICS"));
    names.addAll(METRICS.keySet());
    names.addAll(TCP_METRICS);
    String name = metric.oneOf(names, "ALL_METRICS");
    if (name.equals("ALL_METRICS")) {
      return List.copyOf(METRICS.values());
    }
    if (TCP_METRICS.contains(name)) {
      warnings.add(metric.warn("'" + name + "' not applicable: a proxyless workload records no"
          + " TCP metrics; this override changes nothing"));
      return List.of();
    }
    return List.of(METRICS.get(name));
  }

  private static Map<String, TagOverride> tagOverrides(SpecField field,
      List<TelemetryWarning> warnings) {
    Map<String, TagOverride> out = new LinkedHashMap<>();
    field.map().forEach((tag, o) -> {
      if (tag.isEmpty()) {
        throw o.fail("a non-empty label name");
      }
      o.onlyKeys(Set.of("operation", "value"));
      String operation = o.get("operation").oneOf(List.of("UPSERT", "REMOVE"), "UPSERT");
      SpecField value = o.get("value");
      if (operation.equals("REMOVE")) {
        if (value.present()) {
          throw value.fail("absent when operation is REMOVE");
        }
        out.put(tag, new TagOverride(tag, null));
        return;
      }
      if (!value.present() || value.string().isBlank()) {
        throw value.fail("a CEL expression when operation is UPSERT");
      }
      Optional<TagValue> v = CelValues.tagValue(value.string());
      if (v.isEmpty()) {
        warnings.add(value.warn("'" + value.string() + "' not honoured: Inboard evaluates "
            + CelValues.TAG_VALUES + "; label '" + tag + "' keeps its value"));
      } else {
        out.put(tag, new TagOverride(tag, v.get()));
      }
    });
    return out;
  }

  /** The merged rules of one side. */
  MetricRules rules(WorkloadMode mode) {
    Set<String> off = new TreeSet<>();
    if (inScope.stream().noneMatch(PROMETHEUS::equalsIgnoreCase)) {
      off.addAll(METRICS.values());
    }
    disabled.get(mode).forEach((metric, d) -> {
      if (d) {
        off.add(metric);
      }
    });
    Map<String, List<TagOverride>> overrides = new TreeMap<>();
    tags.get(mode).forEach((metric, byTag) -> {
      if (!byTag.isEmpty()) {
        // ordered by label, as Istio, so the same config gives the same policy
        overrides.put(metric, List.copyOf(new TreeMap<>(byTag).values()));
      }
    });
    return new MetricRules(off, overrides);
  }

  private static Map<String, String> orderedMetrics() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("REQUEST_COUNT", "istio_requests_total");
    m.put("REQUEST_DURATION", "istio_request_duration_milliseconds");
    m.put("REQUEST_SIZE", "istio_request_bytes");
    m.put("RESPONSE_SIZE", "istio_response_bytes");
    m.put("GRPC_REQUEST_MESSAGES", "istio_request_messages_total");
    m.put("GRPC_RESPONSE_MESSAGES", "istio_response_messages_total");
    return java.util.Collections.unmodifiableMap(m);
  }
}
