package io.inboard.benchmarks.peak;

import static io.inboard.benchmarks.RunStats.fmt;
import static io.inboard.benchmarks.RunStats.median;
import static io.inboard.benchmarks.RunStats.num;
import static io.inboard.benchmarks.http.OverheadReport.stat;

import io.inboard.benchmarks.http.OverheadReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the closed-loop runs' lines into Markdown: per protocol, path and concurrency, calls a
 * second (median over rounds, min..max beside it) and their ratio to {@code direct} of the same
 * protocol and concurrency, service-time percentiles and CPU per 1000 calls; then each Inboard
 * path (name starting with {@code inboard}) against the target.
 */
final class PeakReport {

  /** Issue 14's target: Inboard keeps at least this fraction of direct's calls a second. */
  static final double TARGET_RATIO = 0.8;

  private final List<Map<String, String>> runs;
  private final StringBuilder md = new StringBuilder();

  private PeakReport(List<Map<String, String>> runs) {
    this.runs = runs;
  }

  static void write(Path in, Path out) throws IOException {
    OverheadReport.emit(new PeakReport(OverheadReport.readRuns(in)).render(), out);
  }

  private String render() {
    Set<String> rounds = new TreeSet<>();
    runs.forEach(r -> rounds.add(r.get("round")));
    line("Rounds: " + rounds + ". Closed loop: each of N lanes sends its next call when its last"
        + " one completes. Each cell: median over rounds (min..max). Service time runs from send"
        + " to completion. CPU is utime+stime per 1000 completed calls over the recorded part:"
        + " the client JVM (loop included), both HAProxy processes together, the server JVM.");
    line("");
    line("| proto | path | in flight | calls/s | ratio to direct | p50 ms | p99 ms"
        + " | client CPU s/1k | proxies CPU s/1k | server CPU s/1k | errors |");
    line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    List<String> verdicts = new ArrayList<>();
    for (String proto : distinct("proto")) {
      Set<String> paths = new LinkedHashSet<>(List.of("direct"));
      runs.stream().filter(r -> r.get("proto").equals(proto)).forEach(r -> paths.add(r.get("path")));
      for (String path : paths) {
        for (int c : concurrencies()) {
          List<Map<String, String>> rs = cell(proto, path, c);
          if (rs.isEmpty()) {
            continue;
          }
          double ratio = ratio(proto, path, c);
          StringBuilder row = new StringBuilder("| " + proto + " | " + path + " | " + c);
          row.append(" | ").append(stat(rs, r -> num(r, "calls_per_s"), "%.0f", "%.0f"));
          row.append(" | ").append(Double.isNaN(ratio) ? "–" : fmt("**%.2f**", ratio));
          row.append(" | ").append(stat(rs, r -> num(r, "svc_p50_ms"), "%.3f", "%.2f"));
          row.append(" | ").append(stat(rs, r -> num(r, "svc_p99_ms"), "%.3f", "%.2f"));
          row.append(" | ").append(stat(rs, r -> num(r, "cpu_client_per1k"), "%.4f", "%.3f"));
          row.append(" | ").append(rs.get(0).containsKey("cpu_hap_client_per1k")
              ? stat(rs, r -> num(r, "cpu_hap_client_per1k") + num(r, "cpu_hap_server_per1k"),
                  "%.4f", "%.3f") : "–");
          row.append(" | ").append(rs.get(0).containsKey("cpu_server_per1k")
              ? stat(rs, r -> num(r, "cpu_server_per1k"), "%.4f", "%.3f") : "–");
          long err = rs.stream().mapToLong(r -> Long.parseLong(r.get("err"))).sum();
          row.append(" | ").append(err).append(rs.stream().map(r -> r.get("err_sample"))
              .filter(s -> s != null).findFirst().map(s -> " (" + s + ")").orElse("")).append(" |");
          line(row.toString());
          if (path.startsWith("inboard") && !Double.isNaN(ratio)) {
            verdicts.add("- **" + proto + " " + path + ", " + c + " in flight:** "
                + fmt("%.0f %%", ratio * 100) + " of direct (target ≥ "
                + fmt("%.0f %%", TARGET_RATIO * 100) + ": "
                + (ratio >= TARGET_RATIO ? "met" : "NOT met") + ")");
          }
        }
      }
    }
    line("");
    verdicts.forEach(this::line);
    return md.toString();
  }

  /** Median calls/s of {@code path} over median calls/s of {@code direct}, or NaN. */
  private double ratio(String proto, String path, int c) {
    List<Map<String, String>> direct = cell(proto, "direct", c);
    if (direct.isEmpty()) {
      return Double.NaN;
    }
    return median(cell(proto, path, c), r -> num(r, "calls_per_s"))
        / median(direct, r -> num(r, "calls_per_s"));
  }

  private Set<String> distinct(String key) {
    Set<String> s = new LinkedHashSet<>();
    runs.forEach(r -> s.add(r.get(key)));
    return s;
  }

  private Set<Integer> concurrencies() {
    Set<Integer> s = new TreeSet<>();
    runs.forEach(r -> s.add(Integer.parseInt(r.get("concurrency"))));
    return s;
  }

  private List<Map<String, String>> cell(String proto, String path, int c) {
    return runs.stream().filter(r -> r.get("proto").equals(proto) && r.get("path").equals(path)
        && Integer.parseInt(r.get("concurrency")) == c).toList();
  }

  private void line(String s) {
    md.append(s).append('\n');
  }
}
