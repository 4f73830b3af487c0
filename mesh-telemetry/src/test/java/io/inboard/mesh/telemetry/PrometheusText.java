package io.inboard.mesh.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads a Prometheus text-format 0.0.4 scrape: samples with their labels, and the types. */
public final class PrometheusText {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;
  private final Map<String, String> types;

  private PrometheusText(List<Sample> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  /** Parses {@code body}; fails on a line that is not a comment or a sample. */
  public static PrometheusText parse(String body) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] f = line.split(" ");
        types.put(f[2], f[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        samples.add(sample(line));
      }
    }
    return new PrometheusText(samples, types);
  }

  /** Metric family name to type ({@code counter}, {@code gauge}, {@code histogram}). */
  public Map<String, String> types() {
    return types;
  }

  /** Every sample named {@code name}. */
  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).collect(Collectors.toList());
  }

  /** The sample named {@code name} whose labels include {@code match}. */
  public Optional<Sample> find(String name, Map<String, String> match) {
    return samples(name).stream()
        .filter(s -> s.labels().entrySet().containsAll(match.entrySet())).findFirst();
  }

  /** Every sample name. */
  public List<String> names() {
    return samples.stream().map(Sample::name).distinct().collect(Collectors.toList());
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    if (brace < 0 || brace > space) {
      name = line.substring(0, line.indexOf(' '));
    } else {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        StringBuilder value = new StringBuilder();
        int j = eq + 2; // past ="
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
    }
    return new Sample(name, labels, Double.parseDouble(line.substring(space + 1)));
  }
}
