package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.policy.TracingRules;
import io.inboard.mesh.api.internal.telemetry.policy.TracingRules.CustomTag;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * One side's tracing, computed once per policy so that a request only reads it: the sampling
 * ratio, whether its spans are recorded at all, the tags that never change (Istio's workload
 * tags {@code istio.canonical_service}, {@code istio.canonical_revision}, {@code istio.namespace},
 * {@code istio.cluster_id}, {@code istio.mesh_id}; literal and environment custom tags) and the header tags read per request.
 *
 * @param ratio the share of new traces sampled, 0 to 1
 * @param recording whether sampled spans are recorded: an exporter is configured and
 *     {@code disableSpanReporting} is off (otherwise sampled spans only propagate)
 * @param fixedTags tags set on every span of this side
 * @param headerTags tags read from {@code RequestDetails.headers()} when a span ends
 */
record SideTracing(double ratio, boolean recording, Attributes fixedTags,
    List<HeaderTag> headerTags) {

  static final AttributeKey<String> CANONICAL_SERVICE =
      AttributeKey.stringKey("istio.canonical_service");
  static final AttributeKey<String> CANONICAL_REVISION =
      AttributeKey.stringKey("istio.canonical_revision");
  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("istio.namespace");
  static final AttributeKey<String> CLUSTER_ID = AttributeKey.stringKey("istio.cluster_id");
  static final AttributeKey<String> MESH_ID = AttributeKey.stringKey("istio.mesh_id");

  /** Istio's mesh id when {@code ISTIO_META_MESH_ID} is unset: the default trust domain. */
  static final String DEFAULT_MESH_ID = "cluster.local";

  /** A tag whose value is a request header, or {@code defaultValue} when absent. */
  record HeaderTag(AttributeKey<String> key, String header, String defaultValue) {}

  /**
   * Compiles {@code rules} for a workload that is {@code self}.
   *
   * @param exporting whether any exporter is configured
   * @param env reads the workload's environment variables
   */
  static SideTracing of(TracingRules rules, PeerIdentity self, boolean exporting,
      Function<String, String> env) {
    AttributesBuilder fixed = Attributes.builder()
        .put(CANONICAL_SERVICE, self.canonicalService())
        .put(CANONICAL_REVISION, self.canonicalRevision())
        .put(NAMESPACE, self.namespace())
        .put(CLUSTER_ID, self.cluster())
        .put(MESH_ID, orDefault(env.apply("ISTIO_META_MESH_ID"), DEFAULT_MESH_ID));
    List<HeaderTag> headers = new ArrayList<>();
    for (Map.Entry<String, CustomTag> e : rules.customTags().entrySet()) {
      AttributeKey<String> key = AttributeKey.stringKey(e.getKey());
      CustomTag tag = e.getValue();
      if (tag instanceof CustomTag.Literal l) {
        fixed.put(key, nullToEmpty(l.value()));
      } else if (tag instanceof CustomTag.Environment en) {
        String v = env.apply(en.name());
        fixed.put(key, v != null ? v : nullToEmpty(en.defaultValue()));
      } else if (tag instanceof CustomTag.Header h) {
        headers.add(new HeaderTag(key, h.name(), nullToEmpty(h.defaultValue())));
      }
    }
    return new SideTracing(rules.samplingPercentage() / 100.0,
        exporting && !rules.disableSpanReporting(), fixed.build(), List.copyOf(headers));
  }

  /** This side with its spans only propagated, never recorded. */
  SideTracing withoutRecording() {
    return new SideTracing(ratio, false, fixedTags, headerTags);
  }

  /** Draws the decision for a trace that starts here. */
  boolean sampleNewTrace() {
    return ratio >= 1.0 || (ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio);
  }

  /** Sets the fixed tags on a span about to start. */
  void tag(SpanBuilder span) {
    span.setAllAttributes(fixedTags);
  }

  /** The header tags of a request whose captured headers are {@code headers}. */
  void tagHeaders(Map<String, String> headers, AttributesBuilder out) {
    for (int i = 0; i < headerTags.size(); i++) {
      HeaderTag t = headerTags.get(i);
      String v = headers.get(t.header());
      out.put(t.key(), v != null ? v : t.defaultValue());
    }
  }

  private static String orDefault(String s, String otherwise) {
    return s == null || s.isBlank() ? otherwise : s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
