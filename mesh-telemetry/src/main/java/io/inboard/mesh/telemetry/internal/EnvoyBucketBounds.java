package io.inboard.mesh.telemetry.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes histogram bucket bounds as Envoy's {@code /stats/prometheus} does ({@code le="1"},
 * {@code le="3600000"}: {@code %.32g}), where the Prometheus client writes {@code le="1.0"}.
 * A label is a string to Prometheus 2: without this, {@code ..._bucket{le="100"}} (an SLO or
 * Apdex query written against sidecars) would miss Inboard's series, and {@code sum by (le)}
 * would split one bucket in two. Runs once per scrape, never per request.
 */
final class EnvoyBucketBounds {
  /** A whole-number bound right after the series name's brace or a comma: never in a value. */
  private static final Pattern WHOLE_BOUND = Pattern.compile("([{,])le=\"(\\d+)\\.0\"");

  private EnvoyBucketBounds() {}

  /** {@code text} (Prometheus text format) with every whole-number {@code le} written as Envoy. */
  static String rewrite(String text) {
    Matcher m = WHOLE_BOUND.matcher(text);
    return m.find() ? m.replaceAll("$1le=\"$2\"") : text;
  }
}
