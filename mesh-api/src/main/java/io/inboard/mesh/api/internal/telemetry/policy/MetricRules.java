package io.inboard.mesh.api.internal.telemetry.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's metric overrides for one side: which metrics are off, and which labels are removed or
 * set, per metric. Metric names are the Prometheus names ({@code istio_requests_total},
 * {@code istio_request_duration_milliseconds}, {@code istio_request_bytes},
 * {@code istio_response_bytes}, {@code istio_request_messages_total},
 * {@code istio_response_messages_total}).
 *
 * @param disabled metrics not recorded
 * @param tagOverrides per metric, the label changes in order
 */
public record MetricRules(Set<String> disabled, Map<String, List<TagOverride>> tagOverrides) {

  /** Every metric, every label as Istio sets it. */
  public static final MetricRules DEFAULT = new MetricRules(Set.of(), Map.of());

  public MetricRules {
    disabled = Set.copyOf(disabled);
    tagOverrides = Map.copyOf(tagOverrides);
  }

  /** Whether {@code metric} is recorded. */
  public boolean enabled(String metric) {
    return !disabled.contains(metric);
  }

  /** The label changes for {@code metric}, empty for none. */
  public List<TagOverride> overrides(String metric) {
    return tagOverrides.getOrDefault(metric, List.of());
  }

  /** The request headers the overrides read. */
  public Set<String> capturedHeaders() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    tagOverrides.values().forEach(list -> list.forEach(o -> {
      if (o.value() instanceof TagValue.RequestHeader h) {
        names.add(h.name());
      }
    }));
    return Set.copyOf(names);
  }

  /**
   * One label change.
   *
   * @param tag the label, an Istio label or a new one
   * @param value {@code null} to REMOVE the label, else the UPSERT value
   */
  public record TagOverride(String tag, TagValue value) {
    /** Whether this removes the label. */
    public boolean remove() {
      return value == null;
    }
  }

  /** A label's value: the tiny part of CEL Inboard evaluates. */
  public sealed interface TagValue {
    /** A string literal, CEL {@code 'text'} or {@code "text"}. */
    record Literal(String text) implements TagValue {}

    /** CEL {@code request.headers['name']}; {@code unknown} when the request has none. */
    record RequestHeader(String name) implements TagValue {}
  }
}
