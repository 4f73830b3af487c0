package io.inboard.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The propagation results as Markdown, ready for BENCHMARKS.md: one row per (change kind, client
 * count), then the ratios of the largest client count to the smallest, measured in the same run.
 */
final class Report {
  private final List<Sample> samples;
  private final List<Integer> clients;

  Report(List<Sample> samples, List<Integer> clients) {
    this.samples = List.copyOf(samples);
    this.clients = clients.stream().sorted().toList();
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append("| change | clients | n | apply returns p50 | first client ACK p50 "
        + "| all clients ACK p50 | p90 | max | all 4 types ACKed p50 | process CPU mean |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ChangeKind k : ChangeKind.values()) {
      for (int n : clients) {
        List<Sample> cell = cell(k, n);
        if (cell.isEmpty()) {
          continue;
        }
        Percentiles all = of(cell, Sample::allAckNanos);
        b.append(String.format(Locale.ROOT,
            "| %s | %d | %d | %.1f ms | %.1f ms | **%.1f ms** | %.1f ms | %.1f ms | %.1f ms "
                + "| %.1f ms |%n",
            k, n, all.count(), of(cell, Sample::publishNanos).ms(50),
            of(cell, Sample::firstAckNanos).ms(50), all.ms(50), all.ms(90), all.maxMs(),
            of(cell, Sample::allTypesNanos).ms(50),
            cell.stream().mapToLong(Sample::cpuNanos).average().orElse(0) / 1e6));
      }
    }
    return b.toString();
  }

  /** All-clients-ACKed time at the largest client count over the smallest, per change kind. */
  String ratios() {
    int lo = clients.get(0);
    int hi = clients.get(clients.size() - 1);
    StringBuilder b = new StringBuilder();
    for (ChangeKind k : ChangeKind.values()) {
      List<Sample> small = cell(k, lo);
      List<Sample> large = cell(k, hi);
      if (small.isEmpty() || large.isEmpty() || lo == hi) {
        continue;
      }
      Percentiles s = of(small, Sample::allAckNanos);
      Percentiles l = of(large, Sample::allAckNanos);
      b.append(String.format(Locale.ROOT,
          "- %s: N=%d / N=%d: p50 x%.1f, p90 x%.1f; about %.2f ms more per extra client (p50)%n",
          k, hi, lo, l.ms(50) / s.ms(50), l.ms(90) / s.ms(90),
          (l.ms(50) - s.ms(50)) / (hi - lo)));
    }
    return b.toString();
  }

  private List<Sample> cell(ChangeKind k, int n) {
    return samples.stream().filter(s -> s.kind() == k && s.clients() == n).toList();
  }

  private static Percentiles of(List<Sample> cell, ToLongFunction<Sample> f) {
    return new Percentiles(cell.stream().mapToLong(f).toArray());
  }
}
