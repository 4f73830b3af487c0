package io.inboard.mesh.api.internal.telemetry.policy;

import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.CodeFilter;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.Comparison;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.Op;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small part of CEL that Inboard evaluates: a metric label's value (a string literal or
 * one request header) and an access-log filter over {@code response.code}. Anything else is
 * valid CEL Inboard does not evaluate, which the compiler reports as a warning.
 */
final class CelValues {
  /** Evaluated expressions, for warnings. */
  static final String TAG_VALUES = "a string literal ('v1' or \"v1\") or request.headers['name']";
  static final String FILTERS = "comparisons of response.code with a number (==, !=, <, <=, >,"
      + " >=) joined by && and ||";

  private static final Pattern LITERAL = Pattern.compile("'([^'\\\\]*)'|\"([^\"\\\\]*)\"");
  private static final Pattern HEADER =
      Pattern.compile("request\\.headers\\[\\s*(?:'([^']+)'|\"([^\"]+)\")\\s*]");
  private static final Pattern COMPARISON =
      Pattern.compile("response\\.code\\s*(==|!=|<=|>=|<|>)\\s*(\\d{1,3})");

  private CelValues() {}

  /** A metric label's value, or empty when the expression is not one Inboard evaluates. */
  static Optional<TagValue> tagValue(String expression) {
    String e = expression.strip();
    Matcher m = LITERAL.matcher(e);
    if (m.matches()) {
      return Optional.of(new TagValue.Literal(m.group(1) != null ? m.group(1) : m.group(2)));
    }
    m = HEADER.matcher(e);
    if (m.matches()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      return Optional.of(new TagValue.RequestHeader(name.toLowerCase(Locale.ROOT)));
    }
    return Optional.empty();
  }

  /** An access-log filter, or empty when the expression is not one Inboard evaluates. */
  static Optional<CodeFilter> codeFilter(String expression) {
    List<List<Comparison>> anyOf = new ArrayList<>();
    for (String alternative : expression.split("\\|\\|", -1)) {
      List<Comparison> all = new ArrayList<>();
      for (String term : alternative.split("&&", -1)) {
        Matcher m = COMPARISON.matcher(term.strip());
        if (!m.matches()) {
          return Optional.empty();
        }
        all.add(new Comparison(op(m.group(1)), Integer.parseInt(m.group(2))));
      }
      anyOf.add(all);
    }
    return Optional.of(new CodeFilter(anyOf));
  }

  private static Op op(String text) {
    return switch (text) {
      case "==" -> Op.EQ;
      case "!=" -> Op.NE;
      case "<" -> Op.LT;
      case "<=" -> Op.LE;
      case ">" -> Op.GT;
      default -> Op.GE;
    };
  }
}
