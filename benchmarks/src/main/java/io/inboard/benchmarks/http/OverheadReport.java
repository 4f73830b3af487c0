package io.inboard.benchmarks.http;

import static io.inboard.benchmarks.RunStats.fmt;
import static io.inboard.benchmarks.RunStats.max;
import static io.inboard.benchmarks.RunStats.median;
import static io.inboard.benchmarks.RunStats.min;
import static io.inboard.benchmarks.RunStats.num;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Turns the client runs' lines into Markdown: per-path percentiles and CPU (median over rounds,
 * min..max beside it), the latency and CPU each path adds over {@code direct} (difference of
 * medians), the Inboard / sidecar ratios and the targets. Every path whose name starts
 * with {@code inboard} is held to the targets ({@code inboard} for HTTP; {@code inboard-xds} and
 * {@code inboard-k8s} for gRPC); {@code direct} is the baseline and {@code sidecar} the anchor.
 */
public final class OverheadReport {

  /** Issue 4's targets for Inboard over direct. */
  static final double TARGET_P50_US = 35;
  static final double TARGET_P99_US = 300;
  static final double TARGET_CPU_PER_1K = 0.03;

  private static final String[] PCTS = {"p50", "p90", "p99", "p999"};

  private final List<Map<String, String>> runs;
  private final StringBuilder md = new StringBuilder();

  private OverheadReport(List<Map<String, String>> runs) {
    this.runs = runs;
  }

  /** Reads the run lines in {@code in}, prints the Markdown and writes it to {@code out} if given. */
  public static void write(Path in, Path out) throws IOException {
    emit(new OverheadReport(readRuns(in)).render(), out);
  }

  /** The run lines of {@code in} ({@link HttpOverheadBenchmark#record}'s), one map each. */
  public static List<Map<String, String>> readRuns(Path in) throws IOException {
    List<Map<String, String>> runs = new ArrayList<>();
    for (String line : Files.readAllLines(in)) {
      if (!line.isBlank()) {
        runs.add(HttpOverheadBenchmark.parseLine(line));
      }
    }
    return runs;
  }

  /** Prints a report, and writes it to {@code out} unless that is {@code null}. */
  public static void emit(String text, Path out) throws IOException {
    System.out.print(text);
    if (out != null) {
      Files.writeString(out, text);
    }
  }

  private String render() {
    Set<String> paths = new LinkedHashSet<>(List.of("direct", "inboard", "sidecar"));
    runs.forEach(r -> paths.add(r.get("path")));
    paths.removeIf(p -> runs.stream().noneMatch(r -> r.get("path").equals(p)));
    Set<Integer> rates = new TreeSet<>();
    runs.forEach(r -> rates.add(Integer.parseInt(r.get("rate"))));
    Set<String> rounds = new TreeSet<>();
    runs.forEach(r -> rounds.add(r.get("round")));

    line("Rounds: " + rounds + ". Each cell: median over rounds (min..max). Latency runs from each"
        + " request's intended send time (open loop, no coordinated omission). CPU is"
        + " utime+stime per 1000 completed requests over the recorded part: the client JVM"
        + " (generator included), the two HAProxy processes together, and the echo server.");
    line("");
    line("| path | rate | p50 ms | p90 ms | p99 ms | p99.9 ms | client CPU s/1k | proxies CPU s/1k"
        + " | server CPU s/1k | client threads idle / start / end (started while recorded) | errors |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for (String p : paths) {
      for (int rate : rates) {
        List<Map<String, String>> rs = cell(p, rate);
        if (rs.isEmpty()) {
          continue;
        }
        StringBuilder row = new StringBuilder("| " + p + " | " + rate);
        for (String pct : PCTS) {
          row.append(" | ").append(stat(rs, r -> num(r, "lat_" + pct + "_ms"), "%.3f", "%.2f"));
        }
        row.append(" | ").append(stat(rs, r -> num(r, "cpu_client_per1k"), "%.4f", "%.3f"));
        row.append(" | ").append(rs.get(0).containsKey("cpu_hap_client_per1k")
            ? stat(rs, OverheadReport::proxyCpu, "%.4f", "%.3f") : "–");
        row.append(" | ").append(stat(rs, r -> num(r, "cpu_server_per1k"), "%.4f", "%.3f"));
        row.append(" | ").append(threads(rs));
        long err = rs.stream().mapToLong(r -> Long.parseLong(r.get("err"))).sum();
        double sendRate = rs.stream().mapToDouble(r -> num(r, "send_rate")).min().orElse(0);
        row.append(" | ").append(err).append(" err, sent ≥ ")
            .append(String.format(Locale.ROOT, "%.0f/s", sendRate)).append(" |");
        line(row.toString());
      }
    }
    line("");
    line("**Added over direct** (difference of the medians above; in brackets, the range of the"
        + " same difference taken round by round):");
    line("");
    line("| path | rate | p50 µs | p90 µs | p99 µs | p99.9 µs | CPU s/1k (client delta + proxies) |");
    line("|---|---:|---:|---:|---:|---:|---:|");
    for (String p : paths) {
      if (p.equals("direct")) {
        continue;
      }
      for (int rate : rates) {
        if (cell(p, rate).isEmpty() || cell("direct", rate).isEmpty()) {
          continue;
        }
        StringBuilder row = new StringBuilder("| " + p + " | " + rate);
        for (String pct : PCTS) {
          row.append(" | ").append(added(p, rate, r -> num(r, "lat_" + pct + "_ms") * 1000, "%+.0f"));
        }
        row.append(" | ").append(added(p, rate, OverheadReport::pathCpu, "%+.4f")).append(" |");
        line(row.toString());
      }
    }
    line("");
    for (String p : paths) {
      if (p.startsWith("inboard")) {
        verdicts(p, rates);
      }
    }
    return md.toString();
  }

  /** The targets for one Inboard path: its added cost, and that cost over the sidecar's. */
  private void verdicts(String path, Set<Integer> rates) {
    for (int rate : rates) {
      if (cell(path, rate).isEmpty() || cell("direct", rate).isEmpty()) {
        continue;
      }
      double p50 = addedMedian(path, rate, r -> num(r, "lat_p50_ms") * 1000);
      double p99 = addedMedian(path, rate, r -> num(r, "lat_p99_ms") * 1000);
      double cpu = addedMedian(path, rate, OverheadReport::pathCpu);
      StringBuilder s = new StringBuilder("- **" + path + ", " + rate + "/s, vs targets:** ");
      s.append(verdict("p50", p50, TARGET_P50_US, "%+.0f µs", "%.0f µs")).append("; ");
      s.append(verdict("p99", p99, TARGET_P99_US, "%+.0f µs", "%.0f µs")).append("; ");
      s.append(verdict("CPU", cpu, TARGET_CPU_PER_1K, "%+.4f vCPU-s/1k", "%.2f vCPU-s/1k"));
      line(s.toString());
      if (!cell("sidecar", rate).isEmpty()) {
        double sp50 = addedMedian("sidecar", rate, r -> num(r, "lat_p50_ms") * 1000);
        double sp99 = addedMedian("sidecar", rate, r -> num(r, "lat_p99_ms") * 1000);
        double scpu = addedMedian("sidecar", rate, OverheadReport::pathCpu);
        line("- **" + path + ", " + rate + "/s, added / sidecar-added:** p50 " + ratio(p50, sp50)
            + ", p99 " + ratio(p99, sp99) + ", CPU " + ratio(cpu, scpu)
            + " (target: ≤ 0.2, \"a fifth of the sidecar's cost or less\")");
      }
    }
  }

  /** Proxy CPU per 1000 requests: both HAProxy processes. */
  private static double proxyCpu(Map<String, String> r) {
    return num(r, "cpu_hap_client_per1k") + num(r, "cpu_hap_server_per1k");
  }

  /** What a path costs on the client side: the client JVM plus any proxies. */
  private static double pathCpu(Map<String, String> r) {
    return num(r, "cpu_client_per1k") + (r.containsKey("cpu_hap_client_per1k") ? proxyCpu(r) : 0);
  }

  private String added(String path, int rate, ToDoubleFunction<Map<String, String>> f,
      String format) {
    double median = addedMedian(path, rate, f);
    List<Double> paired = new ArrayList<>();
    for (Map<String, String> r : cell(path, rate)) {
      cell("direct", rate).stream().filter(d -> d.get("round").equals(r.get("round")))
          .findFirst().ifPresent(d -> paired.add(f.applyAsDouble(r) - f.applyAsDouble(d)));
    }
    String range = paired.isEmpty() ? "" : " [" + fmt(format, min(paired)) + ".."
        + fmt(format, max(paired)) + "]";
    return "**" + fmt(format, median) + "**" + range;
  }

  private double addedMedian(String path, int rate, ToDoubleFunction<Map<String, String>> f) {
    return median(cell(path, rate), f) - median(cell("direct", rate), f);
  }

  private static String verdict(String what, double value, double target, String format,
      String targetFormat) {
    return what + " " + fmt(format, value) + " (target ≤ " + fmt(targetFormat, target) + ": "
        + (value <= target ? "met" : "NOT met") + ")";
  }

  private static String ratio(double inboard, double sidecar) {
    return sidecar <= 0 ? "n/a" : fmt("%.2f", inboard / sidecar);
  }

  private static String threads(List<Map<String, String>> rs) {
    StringBuilder s = new StringBuilder();
    for (Map<String, String> r : rs) {
      if (s.length() > 0) {
        s.append("; ");
      }
      s.append(r.get("threads_idle")).append('/').append(r.get("threads_start")).append('/')
          .append(r.get("threads_end")).append(" (").append(r.get("threads_started_measured"))
          .append(')');
    }
    return s.toString();
  }

  private List<Map<String, String>> cell(String path, int rate) {
    return runs.stream().filter(r -> r.get("path").equals(path)
        && Integer.parseInt(r.get("rate")) == rate).toList();
  }

  /** {@code f}'s median over {@code rs}, then its range: {@code "1.234 (1.10..1.40)"}. */
  public static String stat(List<Map<String, String>> rs, ToDoubleFunction<Map<String, String>> f,
      String format, String rangeFormat) {
    List<Double> v = rs.stream().map(f::applyAsDouble).toList();
    return fmt(format, median(rs, f)) + " (" + fmt(rangeFormat, min(v)) + ".."
        + fmt(rangeFormat, max(v)) + ")";
  }

  private void line(String s) {
    md.append(s).append('\n');
  }
}
