package io.inboard.benchmarks.mtls;

import static io.inboard.benchmarks.RunStats.fmt;
import static io.inboard.benchmarks.RunStats.max;
import static io.inboard.benchmarks.RunStats.median;
import static io.inboard.benchmarks.RunStats.min;
import static io.inboard.benchmarks.RunStats.num;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Turns the runs' lines into Markdown: per protocol and rate, each path's percentiles and CPU
 * (median over rounds, min..max beside it); what mTLS adds over Inboard plaintext against the
 * issue's targets; what each path adds over direct, and Inboard mTLS's added cost as a share of
 * the sidecar's; then the handshake rates.
 */
final class MtlsReport {

  /** Issue 9's targets for Inboard mTLS over Inboard plaintext. */
  static final double TARGET_P50_US = 50;
  static final double TARGET_CPU_PER_1K = 0.03;

  private static final String[] KINDS = {"direct", "inboard-plain", "inboard-mtls", "sidecar"};
  private static final String[] PCTS = {"p50", "p90", "p99", "p999"};

  private final List<Map<String, String>> runs;
  private final StringBuilder md = new StringBuilder();

  private MtlsReport(List<Map<String, String>> runs) {
    this.runs = runs;
  }

  static void write(Path in, Path handshakes, Path out) throws IOException {
    MtlsReport r = new MtlsReport(read(in));
    r.overhead();
    if (handshakes != null && Files.exists(handshakes)) {
      r.handshakes(read(handshakes));
    }
    System.out.print(r.md);
    if (out != null) {
      Files.writeString(out, r.md);
    }
  }

  private static List<Map<String, String>> read(Path file) throws IOException {
    List<Map<String, String>> rs = new ArrayList<>();
    if (!Files.exists(file)) {
      return rs;
    }
    for (String line : Files.readAllLines(file)) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String kv : line.trim().split(" ")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      if (!m.isEmpty()) {
        rs.add(m);
      }
    }
    return rs;
  }

  private void overhead() {
    TreeSet<Integer> rates = new TreeSet<>();
    runs.forEach(r -> rates.add(Integer.parseInt(r.get("rate"))));
    for (String proto : List.of("http", "grpc")) {
      if (runs.stream().noneMatch(r -> r.get("path").startsWith(proto + "-"))) {
        continue;
      }
      line("#### " + proto.toUpperCase(Locale.ROOT) + ": per-request latency and CPU");
      line("");
      line("| path | rate | p50 ms | p90 ms | p99 ms | p99.9 ms | client CPU s/1k"
          + " | server CPU s/1k | proxies CPU s/1k | total CPU s/1k | errors |");
      line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
      for (int rate : rates) {
        for (String kind : KINDS) {
          List<Map<String, String>> rs = cell(proto + "-" + kind, rate);
          if (rs.isEmpty()) {
            continue;
          }
          StringBuilder row = new StringBuilder("| " + kind + " | " + rate);
          for (String p : PCTS) {
            row.append(" | ").append(stat(rs, r -> num(r, "lat_" + p + "_ms"), "%.3f"));
          }
          row.append(" | ").append(stat(rs, r -> num(r, "cpu_client_per1k"), "%.4f"));
          row.append(" | ").append(stat(rs, r -> num(r, "cpu_server_per1k"), "%.4f"));
          row.append(" | ").append(kind.equals("sidecar")
              ? stat(rs, MtlsReport::proxyCpu, "%.4f") : "–");
          row.append(" | ").append(stat(rs, MtlsReport::totalCpu, "%.4f"));
          long err = rs.stream().mapToLong(r -> Long.parseLong(r.get("err"))).sum();
          double sent = rs.stream().mapToDouble(r -> num(r, "send_rate")).min().orElse(0);
          row.append(" | ").append(err).append(" err, sent ≥ ").append(fmt("%.0f/s", sent))
              .append(" |");
          line(row.toString());
        }
      }
      line("");
      line("**mTLS over Inboard plaintext** (" + proto + "-inboard-mtls minus "
          + proto + "-inboard-plain: difference of the medians; in brackets the same difference"
          + " round by round, min..max). CPU is client + server.");
      line("");
      line("| rate | p50 µs | p90 µs | p99 µs | p99.9 µs | CPU s/1k | verdict (≤ 50 µs p50, ≤ 0.03"
          + " vCPU-s/1k) |");
      line("|---:|---:|---:|---:|---:|---:|---|");
      for (int rate : rates) {
        String a = proto + "-inboard-mtls";
        String b = proto + "-inboard-plain";
        if (cell(a, rate).isEmpty() || cell(b, rate).isEmpty()) {
          continue;
        }
        StringBuilder row = new StringBuilder("| " + rate);
        for (String p : PCTS) {
          row.append(" | ").append(delta(a, b, rate, r -> num(r, "lat_" + p + "_ms") * 1000,
              "%+.0f"));
        }
        row.append(" | ").append(delta(a, b, rate, MtlsReport::totalCpu, "%+.4f"));
        double p50 = deltaMedian(a, b, rate, r -> num(r, "lat_p50_ms") * 1000);
        double cpu = deltaMedian(a, b, rate, MtlsReport::totalCpu);
        row.append(" | p50 ").append(p50 <= TARGET_P50_US ? "met" : "NOT met").append(", CPU ")
            .append(cpu <= TARGET_CPU_PER_1K ? "met" : "NOT met").append(" |");
        line(row.toString());
      }
      line("");
      line("**Added over direct** (difference of the medians; CPU = client + server + proxies),"
          + " and Inboard mTLS's added cost as a share of the sidecar path's:");
      line("");
      line("| path | rate | p50 µs | p99 µs | CPU s/1k | p50 share of sidecar's | CPU share of"
          + " sidecar's |");
      line("|---|---:|---:|---:|---:|---:|---:|");
      for (int rate : rates) {
        String d = proto + "-direct";
        for (String kind : KINDS) {
          String p = proto + "-" + kind;
          if (kind.equals("direct") || cell(p, rate).isEmpty() || cell(d, rate).isEmpty()) {
            continue;
          }
          String s = proto + "-sidecar";
          boolean share = !kind.equals("sidecar") && !cell(s, rate).isEmpty();
          ToDoubleFunction<Map<String, String>> p50 = r -> num(r, "lat_p50_ms") * 1000;
          line("| " + kind + " | " + rate
              + " | " + delta(p, d, rate, p50, "%+.0f")
              + " | " + delta(p, d, rate, r -> num(r, "lat_p99_ms") * 1000, "%+.0f")
              + " | " + delta(p, d, rate, MtlsReport::totalCpu, "%+.4f")
              + " | " + (share ? ratio(deltaMedian(p, d, rate, p50), deltaMedian(s, d, rate, p50))
                  : "–")
              + " | " + (share ? ratio(deltaMedian(p, d, rate, MtlsReport::totalCpu),
                  deltaMedian(s, d, rate, MtlsReport::totalCpu)) : "–") + " |");
        }
      }
      line("");
    }
  }

  private void handshakes(List<Map<String, String>> hs) {
    if (hs.isEmpty()) {
      return;
    }
    line("#### New connections (closed loop, a new connection per request)");
    line("");
    line("| path | connectors | connections/s | p50 ms | p99 ms | client CPU s/1k conns"
        + " | server CPU s/1k | proxies CPU s/1k | total CPU s/1k | errors |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    List<String> paths = hs.stream().map(r -> r.get("path")).distinct().toList();
    for (String p : paths) {
      List<Map<String, String>> rs = hs.stream().filter(r -> r.get("path").equals(p)).toList();
      long err = rs.stream().mapToLong(r -> Long.parseLong(r.get("err"))).sum();
      line("| " + p + " | " + rs.get(0).get("connectors")
          + " | " + stat(rs, r -> num(r, "conn_per_s"), "%.0f")
          + " | " + stat(rs, r -> num(r, "lat_p50_ms"), "%.2f")
          + " | " + stat(rs, r -> num(r, "lat_p99_ms"), "%.2f")
          + " | " + stat(rs, r -> num(r, "cpu_client_per1k"), "%.3f")
          + " | " + stat(rs, r -> num(r, "cpu_server_per1k"), "%.3f")
          + " | " + (rs.get(0).containsKey("cpu_hap_client_per1k")
              && p.contains("sidecar") ? stat(rs, MtlsReport::proxyCpu, "%.3f") : "–")
          + " | " + stat(rs, r -> p.contains("sidecar") ? totalCpu(r)
              : num(r, "cpu_client_per1k") + num(r, "cpu_server_per1k"), "%.3f")
          + " | " + err + " |");
    }
    line("");
  }

  private static double proxyCpu(Map<String, String> r) {
    return num(r, "cpu_hap_client_per1k") + num(r, "cpu_hap_server_per1k");
  }

  /** Client + server, plus the proxies on the sidecar path (they idle on the others). */
  private static double totalCpu(Map<String, String> r) {
    double cs = num(r, "cpu_client_per1k") + num(r, "cpu_server_per1k");
    return r.get("path").contains("-sidecar") ? cs + proxyCpu(r) : cs;
  }

  private String delta(String a, String b, int rate, ToDoubleFunction<Map<String, String>> f,
      String format) {
    List<Double> paired = new ArrayList<>();
    for (Map<String, String> r : cell(a, rate)) {
      cell(b, rate).stream().filter(x -> x.get("round").equals(r.get("round"))).findFirst()
          .ifPresent(x -> paired.add(f.applyAsDouble(r) - f.applyAsDouble(x)));
    }
    String range = paired.isEmpty() ? "" : " [" + fmt(format, min(paired)) + ".."
        + fmt(format, max(paired)) + "]";
    return "**" + fmt(format, deltaMedian(a, b, rate, f)) + "**" + range;
  }

  private double deltaMedian(String a, String b, int rate,
      ToDoubleFunction<Map<String, String>> f) {
    return median(cell(a, rate), f) - median(cell(b, rate), f);
  }

  private List<Map<String, String>> cell(String path, int rate) {
    return runs.stream().filter(r -> r.get("path").equals(path)
        && Integer.parseInt(r.get("rate")) == rate).toList();
  }

  private static String stat(List<Map<String, String>> rs, ToDoubleFunction<Map<String, String>> f,
      String format) {
    List<Double> v = rs.stream().map(f::applyAsDouble).toList();
    return fmt(format, median(rs, f)) + (v.size() < 2 ? ""
        : " (" + fmt(format, min(v)) + ".." + fmt(format, max(v)) + ")");
  }

  private static String ratio(double part, double whole) {
    return whole <= 0 ? "n/a" : fmt("%.2f", part / whole);
  }

  private void line(String s) {
    md.append(s).append('\n');
  }
}
