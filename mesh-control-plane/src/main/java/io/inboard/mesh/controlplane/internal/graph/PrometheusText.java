package io.inboard.mesh.controlplane.internal.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Prometheus text exposition format 0.0.4 ({@code /stats/prometheus}): one sample per
 * line, {@code name{label="value",...} value [timestamp]}; {@code #} lines are comments. Label
 * values unescape {@code \\}, {@code \"} and {@code \n}. Only the metric names asked for are
 * kept, so that a workload's other metrics cost no allocation.
 */
final class PrometheusText {
  private PrometheusText() {}

  /**
   * The samples of {@code text} whose name is in {@code names}.
   *
   * @throws IllegalArgumentException naming the line, the column and what was expected, for a
   *     line that is not a sample
   */
  static List<MetricSample> parse(String text, Set<String> names) {
    List<MetricSample> samples = new ArrayList<>();
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int nameEnd = 0;
      while (nameEnd < l.length() && isNameChar(l.charAt(nameEnd))) {
        nameEnd++;
      }
      if (nameEnd == 0) {
        throw error(lineNumber, 1, l, "a metric name");
      }
      String name = l.substring(0, nameEnd);
      if (!names.contains(name)) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      int i = nameEnd;
      if (i < l.length() && l.charAt(i) == '{') {
        i = labels(l, i + 1, labels, lineNumber);
      }
      String[] rest = l.substring(i).strip().split("\\s+");
      if (rest.length == 0 || rest[0].isEmpty()) {
        throw error(lineNumber, i + 1, l, "a value after the labels");
      }
      samples.add(new MetricSample(name, labels, value(rest[0], lineNumber, i + 1, l)));
    }
    return samples;
  }

  /** Reads labels from {@code i} (after the brace) to the closing brace; returns after it. */
  private static int labels(String l, int i, Map<String, String> labels, int lineNumber) {
    while (true) {
      while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == ',')) {
        i++;
      }
      if (i < l.length() && l.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (i < l.length() && isNameChar(l.charAt(i))) {
        i++;
      }
      if (i == start || i + 1 >= l.length() || l.charAt(i) != '=' || l.charAt(i + 1) != '"') {
        throw error(lineNumber, i + 1, l, "label=\"value\" or '}'");
      }
      String label = l.substring(start, i);
      i += 2;
      StringBuilder value = new StringBuilder();
      while (true) {
        if (i >= l.length()) {
          throw error(lineNumber, i + 1, l, "a closing quote");
        }
        char c = l.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\' && i < l.length()) {
          char e = l.charAt(i++);
          value.append(e == 'n' ? '\n' : e);
        } else {
          value.append(c);
        }
      }
      labels.put(label, value.toString());
    }
  }

  private static double value(String raw, int lineNumber, int column, String line) {
    switch (raw) {
      case "NaN":
        return Double.NaN;
      case "+Inf", "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw error(lineNumber, column, line, "a number, NaN, +Inf or -Inf, not '" + raw + "'");
        }
    }
  }

  private static boolean isNameChar(char c) {
    return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9');
  }

  private static IllegalArgumentException error(int line, int column, String text,
      String expected) {
    return new IllegalArgumentException("line " + line + ", column " + column + ": '" + text
        + "' (expected: " + expected + ")");
  }
}
