package io.inboard.mesh.controlplane.internal.graph;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kiali's request health: the share of requests answered with a given kind of code, against
 * Kiali's default tolerances ({@code config.go} {@code AddHealthDefault}, checked as
 * {@code Health.ts ascendingThresholdCheck}: a share above 0 that reaches the failure
 * percentage is a failure, one that reaches the degraded percentage is degraded).
 *
 * <table>
 *   <caption>Tolerances</caption>
 *   <tr><th>protocol</th><th>codes</th><th>degraded</th><th>failure</th></tr>
 *   <tr><td>http</td><td>5XX</td><td>&gt; 0%</td><td>&ge; 10%</td></tr>
 *   <tr><td>http</td><td>4XX</td><td>&ge; 10%</td><td>&ge; 20%</td></tr>
 *   <tr><td>grpc</td><td>1..16</td><td>&gt; 0%</td><td>&ge; 10%</td></tr>
 *   <tr><td>http, grpc</td><td>{@code -} (no response)</td><td>&gt; 0%</td><td>&ge; 10%</td></tr>
 * </table>
 *
 * <p>Codes are as Kiali shows them: {@code -} for {@code response_code="0"}, and for gRPC the
 * {@code grpc_response_status} unless the HTTP code is itself an error ({@link #code}).
 */
enum Health {
  HEALTHY, DEGRADED, FAILURE;

  private record Tolerance(Pattern protocol, Pattern code, double degraded, double failure) {}

  private static final List<Tolerance> TOLERANCES = List.of(
      new Tolerance(Pattern.compile("http"), Pattern.compile("5\\d\\d"), 0, 10),
      new Tolerance(Pattern.compile("http"), Pattern.compile("4\\d\\d"), 10, 20),
      new Tolerance(Pattern.compile("grpc"), Pattern.compile("[1-9]|1[0-6]"), 0, 10),
      new Tolerance(Pattern.compile("http|grpc"), Pattern.compile("-"), 0, 10));

  /** {@code healthy}, {@code degraded} or {@code failure}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  Health worst(Health other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /**
   * The health of traffic of {@code protocol} whose request rate by code (as {@link #code} gives
   * it) is {@code ratesByCode}; healthy without traffic.
   */
  static Health of(String protocol, Map<String, Double> ratesByCode) {
    double total = ratesByCode.values().stream().mapToDouble(Double::doubleValue).sum();
    Health health = HEALTHY;
    if (total <= 0) {
      return health;
    }
    for (Tolerance t : TOLERANCES) {
      if (!t.protocol().matcher(protocol).matches()) {
        continue;
      }
      double matching = 0;
      for (Map.Entry<String, Double> e : ratesByCode.entrySet()) {
        if (t.code().matcher(e.getKey()).matches()) {
          matching += e.getValue();
        }
      }
      health = health.worst(check(matching / total * 100, t.degraded(), t.failure()));
    }
    return health;
  }

  /** Kiali's ascending check of an error percentage: only a share above 0 counts. */
  static Health check(double percent, double degraded, double failure) {
    if (percent <= 0) {
      return HEALTHY;
    }
    if (percent >= failure) {
      return FAILURE;
    }
    return percent >= degraded ? DEGRADED : HEALTHY;
  }

  /**
   * The code Kiali shows for a request ({@code util.HandleResponseCode}): {@code -} when
   * {@code responseCode} is {@code "0"} (no response); the HTTP code unless the protocol is gRPC
   * with a status and an HTTP code that is no error; otherwise the gRPC status.
   */
  static String code(String protocol, String responseCode, String grpcStatus) {
    if ("0".equals(responseCode)) {
      return "-";
    }
    if (!"grpc".equals(protocol) || grpcStatus == null || grpcStatus.isEmpty()
        || responseCode.startsWith("4") || responseCode.startsWith("5")) {
      return responseCode;
    }
    return grpcStatus;
  }

  /**
   * Whether Kiali counts {@code code} (as {@link #code} gives it) in an edge's error share:
   * no response, 5xx, or a gRPC status other than 0.
   */
  static boolean isError(String protocol, String code) {
    return code.equals("-") || (code.length() == 3 && code.startsWith("5"))
        || ("grpc".equals(protocol) && code.matches("[1-9]|1[0-6]"));
  }
}
