package io.inboard.e2e.telemetry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One {@code GET /stats/prometheus} of a workload's admin server, parsed from Prometheus' text
 * format into samples: metric name, labels (as printed) and value.
 */
record Scrape(String text, List<Sample> samples) {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One line of the exposition: {@code name{labels} value}. */
  record Sample(String name, Map<String, String> labels, double value) {
    String label(String key) {
      return labels.get(key);
    }
  }

  /** Scrapes the admin server at {@code admin} over HTTP. */
  static Scrape of(InetSocketAddress admin) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + admin.getPort() + "/stats/prometheus"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("scrape answered " + r.statusCode() + ": " + r.body());
      }
      return parse(r.body());
    } catch (IOException e) {
      throw new AssertionError("scrape of " + admin + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Scrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space;
      String name;
      Map<String, String> labels = new TreeMap<>();
      if (brace < 0 || brace > line.indexOf(' ')) {
        space = line.indexOf(' ');
        name = line.substring(0, space);
      } else {
        name = line.substring(0, brace);
        int i = brace + 1;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String key = line.substring(i, eq).trim();
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
        space = line.indexOf(' ', i);
      }
      String rest = line.substring(space + 1).trim();
      int ts = rest.indexOf(' ');
      String v = ts < 0 ? rest : rest.substring(0, ts);
      out.add(new Sample(name, labels, v.equals("+Inf") ? Double.POSITIVE_INFINITY
          : v.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v)));
    }
    return new Scrape(text, out);
  }

  /** The lines of {@code name}'s samples, for failure messages. */
  String lines(String name) {
    return String.join("\n", text.lines().filter(l -> l.startsWith(name)).toList());
  }

  /** The samples of {@code name} whose labels include every entry of {@code having}. */
  List<Sample> samples(String name, Map<String, String> having) {
    return samples.stream().filter(s -> s.name.equals(name))
        .filter(s -> s.labels.entrySet().containsAll(having.entrySet())).toList();
  }

  List<Sample> samples(String name, Predicate<Sample> which) {
    return samples.stream().filter(s -> s.name.equals(name)).filter(which).toList();
  }

  /** The sum of the values of {@link #samples(String, Map)}; 0 when there is none. */
  double sum(String name, Map<String, String> having) {
    return samples(name, having).stream().mapToDouble(Sample::value).sum();
  }

  /** {@code having} plus {@code more} key/value pairs, in one map. */
  static Map<String, String> with(Map<String, String> having, String... more) {
    Map<String, String> m = new LinkedHashMap<>(having);
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return m;
  }
}
