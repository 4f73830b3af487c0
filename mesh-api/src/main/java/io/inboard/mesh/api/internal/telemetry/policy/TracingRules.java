package io.inboard.mesh.api.internal.telemetry.policy;

import java.util.Map;
import java.util.Set;

/**
 * Istio's tracing settings for one side.
 *
 * @param samplingPercentage {@code randomSamplingPercentage}: the share of new traces recorded,
 *     0 to 100 (Istio's default install: 1); an incoming sampling decision always wins
 * @param disableSpanReporting spans are not exported (context still propagates)
 * @param customTags tag name to value, added to every span of the side
 */
public record TracingRules(double samplingPercentage, boolean disableSpanReporting,
    Map<String, CustomTag> customTags) {

  /** 1 %, reported, no custom tags. */
  public static final TracingRules DEFAULT = new TracingRules(1.0, false, Map.of());

  public TracingRules {
    if (!(samplingPercentage >= 0 && samplingPercentage <= 100)) {
      throw new IllegalArgumentException(
          "samplingPercentage: " + samplingPercentage + " (expected: 0..100)");
    }
    customTags = Map.copyOf(customTags);
  }

  /** The request headers custom tags read. */
  public Set<String> capturedHeaders() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    customTags.values().forEach(t -> {
      if (t instanceof CustomTag.Header h) {
        names.add(h.name());
      }
    });
    return Set.copyOf(names);
  }

  /** A custom tag's value. */
  public sealed interface CustomTag {
    /** A fixed value. */
    record Literal(String value) implements CustomTag {}

    /** An environment variable of the workload, or {@code defaultValue} when unset. */
    record Environment(String name, String defaultValue) implements CustomTag {}

    /** A request header (lower case), or {@code defaultValue} when absent. */
    record Header(String name, String defaultValue) implements CustomTag {}
  }
}
