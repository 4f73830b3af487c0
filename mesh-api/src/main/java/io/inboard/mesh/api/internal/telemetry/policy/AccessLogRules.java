package io.inboard.mesh.api.internal.telemetry.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Istio's access logging for one side.
 *
 * @param enabled whether requests are logged (Istio's default install: no)
 * @param encoding the line's form
 * @param filter which requests are logged, by response code; {@link CodeFilter#ALL} for all
 */
public record AccessLogRules(boolean enabled, Encoding encoding, CodeFilter filter) {

  /** Off. */
  public static final AccessLogRules DEFAULT =
      new AccessLogRules(false, Encoding.TEXT, CodeFilter.ALL);

  public AccessLogRules {
    requireNonNull(encoding, "encoding");
    requireNonNull(filter, "filter");
  }

  /** Whether a request that ended with {@code responseCode} is logged. */
  public boolean logs(int responseCode) {
    return enabled && filter.test(responseCode);
  }

  /** The line's form: provider {@code envoy} is Istio's text line, {@code envoy-json} JSON. */
  public enum Encoding { TEXT, JSON }

  /**
   * {@code filter.expression} over {@code response.code}: alternatives ({@code ||}) of
   * conjunctions ({@code &&}) of comparisons.
   *
   * @param anyOf each inner list holds comparisons that must all hold
   */
  public record CodeFilter(List<List<Comparison>> anyOf) {
    /** No filter: every request. */
    public static final CodeFilter ALL = new CodeFilter(List.of(List.of()));

    public CodeFilter {
      anyOf = anyOf.stream().map(List::copyOf).toList();
    }

    /** Whether {@code code} passes. */
    public boolean test(int code) {
      for (List<Comparison> all : anyOf) {
        boolean ok = true;
        for (Comparison c : all) {
          ok &= c.test(code);
        }
        if (ok) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code response.code <op> value}. */
  public record Comparison(Op op, int value) {
    /** Whether {@code code} satisfies it. */
    public boolean test(int code) {
      return switch (op) {
        case EQ -> code == value;
        case NE -> code != value;
        case LT -> code < value;
        case LE -> code <= value;
        case GT -> code > value;
        case GE -> code >= value;
      };
    }
  }

  /** CEL's comparison operators. */
  public enum Op { EQ, NE, LT, LE, GT, GE }
}
