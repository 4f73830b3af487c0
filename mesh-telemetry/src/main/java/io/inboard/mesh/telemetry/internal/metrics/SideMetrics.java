package io.inboard.mesh.telemetry.internal.metrics;

import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagOverride;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagValue;
import io.inboard.mesh.telemetry.IstioMetrics;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One side's {@link MetricRules} compiled for the per-request path: per metric whether it is
 * recorded and how its labels change, and a cache from {@link LabelKey} to the finished label
 * sets. Made on each policy change, so a new policy starts with an empty cache; a cache hit
 * builds no {@link Attributes}.
 */
final class SideMetrics {

  /** Label sets kept ready; past this many distinct keys, new sets are built per request. */
  static final int MAX_CACHED_LABEL_SETS = 10_000;

  private static final String UNKNOWN = PeerIdentity.UNKNOWN_VALUE;

  /** Per {@link IstioMetric} ordinal: the overrides, {@code null} when it is disabled. */
  private final List<List<TagOverride>> overrides;
  private final boolean anyEnabled;
  /** The request headers the overrides read, in the order {@link LabelKey#headers()} holds. */
  private final String[] headerNames;
  private final Map<LabelKey, Attributes[]> cache = new ConcurrentHashMap<>();

  SideMetrics(MetricRules rules) {
    List<List<TagOverride>> o = new ArrayList<>();
    TreeSet<String> headers = new TreeSet<>();
    boolean enabled = false;
    for (IstioMetric m : IstioMetric.ALL) {
      if (!rules.enabled(m.prometheusName())) {
        o.add(null);
        continue;
      }
      enabled = true;
      List<TagOverride> list = List.copyOf(rules.overrides(m.prometheusName()));
      for (TagOverride t : list) {
        if (t.value() instanceof TagValue.RequestHeader h) {
          headers.add(h.name().toLowerCase(Locale.ROOT));
        }
      }
      o.add(list);
    }
    this.overrides = o;
    this.anyEnabled = enabled;
    this.headerNames = headers.toArray(String[]::new);
  }

  /** Whether any metric is recorded on this side. */
  boolean anyEnabled() {
    return anyEnabled;
  }

  /** Whether some label is read from a request header ({@link RequestReport#details()}). */
  boolean readsHeaders() {
    return headerNames.length > 0;
  }

  /** Per {@link IstioMetric} ordinal, the label set of {@code r}, {@code null} when disabled. */
  Attributes[] labels(RequestReport r) {
    LabelKey key = LabelKey.of(r, headerNames.length == 0 ? null : headerValues(r));
    Attributes[] a = cache.get(key);
    if (a == null) {
      a = build(r, key.headers());
      if (cache.size() < MAX_CACHED_LABEL_SETS) {
        Attributes[] raced = cache.putIfAbsent(key, a);
        a = raced != null ? raced : a;
      }
    }
    return a;
  }

  /** How many label sets are cached (for tests). */
  int cachedLabelSets() {
    return cache.size();
  }

  private List<String> headerValues(RequestReport r) {
    Map<String, String> h = r.details().headers();
    String[] values = new String[headerNames.length];
    for (int i = 0; i < values.length; i++) {
      String v = h.get(headerNames[i]);
      values[i] = v == null ? UNKNOWN : v;
    }
    return Arrays.asList(values);
  }

  private Attributes[] build(RequestReport r, List<String> headers) {
    String[] values = IstioLabels.values(r);
    Attributes standard = null;
    Attributes[] out = new Attributes[IstioMetric.ALL.length];
    for (int i = 0; i < out.length; i++) {
      List<TagOverride> o = overrides.get(i);
      if (o == null) {
        continue;
      }
      if (o.isEmpty()) {
        if (standard == null) {
          standard = attributes(standardLabels(values));
        }
        out[i] = standard;
      } else {
        out[i] = attributes(override(standardLabels(values), o, headers));
      }
    }
    return out;
  }

  private static Map<String, String> standardLabels(String[] values) {
    Map<String, String> labels = new LinkedHashMap<>();
    List<String> names = IstioMetrics.LABELS;
    for (int i = 0; i < values.length; i++) {
      labels.put(names.get(i), values[i]);
    }
    return labels;
  }

  /** Istio's order: REMOVE drops, UPSERT replaces in place or appends a new label. */
  private Map<String, String> override(Map<String, String> labels, List<TagOverride> overrides,
      List<String> headers) {
    for (TagOverride t : overrides) {
      if (t.remove()) {
        labels.remove(t.tag());
      } else if (t.value() instanceof TagValue.Literal l) {
        labels.put(t.tag(), l.text());
      } else if (t.value() instanceof TagValue.RequestHeader h) {
        int at = Arrays.binarySearch(headerNames, h.name().toLowerCase(Locale.ROOT));
        labels.put(t.tag(), headers.get(at));
      }
    }
    return labels;
  }

  private static Attributes attributes(Map<String, String> labels) {
    AttributesBuilder b = Attributes.builder();
    labels.forEach(b::put);
    return b.build();
  }
}
