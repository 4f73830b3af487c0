package io.inboard.benchmarks.scale;

import io.inboard.benchmarks.Percentiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Markdown summary of a cp-scale run: per configuration its load, initial sync, heap and
 * CPU; per change kind the time to every client's ACK (p50, p99 over iterations), bytes and
 * responses per change; the debounce's added delay; the targets.
 */
final class ScaleReport {
  /** Issue 14's targets: p99 to every ACK at 1000 services and 500 clients, and heap. */
  static final double TARGET_P99_MS = 1000;
  static final double TARGET_HEAP_MB = 512;

  /** One control-plane run: a service count, debounce on or off, and its changes. */
  record Config(int services, boolean debounce, double loadSeconds, long syncMicros,
      long fullStateBytes, double syncCpuSeconds, long heapSynced, long heapAfter, long hwmKb,
      int threads, List<ChangeRun> runs) {}

  private final int clients;
  private final int jvms;
  private final int groups;
  private final int iterations;
  private final String cpHeap;
  private final List<Config> configs = new ArrayList<>();

  ScaleReport(int clients, int jvms, int groups, int iterations, String cpHeap) {
    this.clients = clients;
    this.jvms = jvms;
    this.groups = groups;
    this.iterations = iterations;
    this.cpHeap = cpHeap;
  }

  void add(Config c) {
    configs.add(c);
  }

  String render(String machine, String command) {
    StringBuilder md = new StringBuilder();
    md.append("# Control plane at scale\n\n");
    md.append("- machine:\n\n```\n").append(machine).append("\n```\n");
    md.append("- git rev: ").append(System.getProperty("bench.gitRev", "unknown")).append('\n');
    md.append("- command: `").append(command).append("`\n");
    md.append(String.format(Locale.ROOT, "- %d ADS clients in %d JVMs, %d label groups; each"
        + " calls %d services (the %d every change touches, plus %d of its own); %d endpoints"
        + " per service; %d iterations per change; control plane -Xmx%s in a JVM of its own."
        + " Times are from the change (just before the API call, in the control plane's JVM)"
        + " to the clients' ACKs, on one clock.%n%n", clients, jvms, groups,
        ScaleConfig.HOT + ScaleConfig.OWN, ScaleConfig.HOT, ScaleConfig.OWN,
        ScaleConfig.ENDPOINTS, iterations, cpHeap));

    md.append("## Load, initial sync, footprint\n\n");
    md.append("| services | endpoints | debounce | CP start+load (s) | initial sync incl. client JVM start"
        + " (s) | full state sent (MB, all clients) | CP CPU for the sync (s) | CP heap"
        + " after GC, synced (MB) | after the changes (MB) | CP peak RSS (MB) | CP threads |\n");
    md.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Config c : configs) {
      md.append(String.format(Locale.ROOT, "| %d | %d | %s | %.1f | %.2f | %.2f | %.2f | %.0f"
          + " | %.0f | %.0f | %d |%n", c.services, c.services * ScaleConfig.ENDPOINTS,
          c.debounce ? "on" : "off", c.loadSeconds, c.syncMicros / 1e6,
          c.fullStateBytes / 1e6, c.syncCpuSeconds, c.heapSynced / 1048576.0,
          c.heapAfter / 1048576.0, c.hwmKb / 1024.0, c.threads));
    }

    Config base = configs.stream().filter(Config::debounce).findFirst().orElse(configs.get(0));
    md.append("\n## Change to every client's ACK\n\n");
    md.append("p50/p99 over iterations of the time until the last client ACKed the changed type;"
        + " \"client p50\" is over every client's ACK. Responses per client: what each client"
        + " was sent per change, by type (before the fix, every change re-sent all four)."
        + " Bytes: all responses of the change, all clients; \"of full\" is that against the"
        + " full state (every type, every client). Ratio: p50 against the first configuration ("
        + base.services + " services, debounce on).\n\n");
    md.append("| services | debounce | change | p50 (ms) | p99 (ms) | client p50 (ms) | LDS/RDS/CDS/EDS"
        + " per client | bytes per change (KB) | of full | CP CPU per change (s) | p50 ratio |\n");
    md.append("|---:|---|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
    for (Config c : configs) {
      for (String kind : CpScaleBenchmark.KINDS.keySet()) {
        List<ChangeRun> rs = c.runs.stream().filter(r -> r.kind().equals(kind)).toList();
        if (rs.isEmpty()) {
          continue;
        }
        double p50 = ms(rs.stream().mapToLong(ChangeRun::allAckedMicros).toArray(), 50);
        double p99 = ms(rs.stream().mapToLong(ChangeRun::allAckedMicros).toArray(), 99);
        double client = ms(rs.stream().flatMap(r -> r.clientAckMicros().stream())
            .mapToLong(Long::longValue).toArray(), 50);
        String perType = Arrays.stream(AdsLoadClient.Type.values())
            .map(t -> String.format(Locale.ROOT, "%.1f", rs.stream()
                .mapToInt(r -> r.perType().get(t)).average().orElse(0) / clients))
            .collect(Collectors.joining(" / "));
        double bytes = median(rs.stream().mapToDouble(ChangeRun::bytes).toArray());
        double cpu = median(rs.stream().mapToDouble(ChangeRun::cpuSeconds).toArray());
        double baseP50 = basePct(base, kind);
        md.append(String.format(Locale.ROOT, "| %d | %s | %s | %.0f | %.0f | %.0f | %s | %.0f |"
            + " %.3f | %.2f | %.2f |%n", c.services, c.debounce ? "on" : "off", kind, p50, p99,
            client, perType, bytes / 1e3, bytes / c.fullStateBytes, cpu,
            p50 / baseP50));
      }
    }

    List<Config> off = configs.stream().filter(c -> !c.debounce).toList();
    if (!off.isEmpty()) {
      md.append("\n## Delay the debounce adds\n\n");
      md.append("p50 to every ACK with the debounce on (100 ms quiet time, 1 s at most) and off"
          + " (every change published at once), same service count.\n\n");
      md.append("| services | change | on p50 (ms) | off p50 (ms) | added (ms) |\n");
      md.append("|---:|---|---:|---:|---:|\n");
      for (Config o : off) {
        configs.stream().filter(c -> c.debounce && c.services == o.services).findFirst()
            .ifPresent(on -> {
              for (String kind : CpScaleBenchmark.KINDS.keySet()) {
                double a = basePct(on, kind);
                double b = basePct(o, kind);
                md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %+.0f |%n",
                    o.services, kind, a, b, a - b));
              }
            });
      }
    }

    md.append("\n## Targets\n\n");
    md.append("| target | measured | met |\n|---|---|---|\n");
    for (Config c : configs) {
      if (!c.debounce) {
        continue;
      }
      double worst = c.runs.stream().map(ChangeRun::kind).distinct()
          .mapToDouble(k -> ms(c.runs.stream().filter(r -> r.kind().equals(k))
              .mapToLong(ChangeRun::allAckedMicros).toArray(), 99)).max().orElse(0);
      md.append(String.format(Locale.ROOT, "| p99 < %.0f ms (issue: 1000 services, 500 clients)"
          + " | %d services, %d clients: worst change p99 %.0f ms | %s |%n", TARGET_P99_MS,
          c.services, clients, worst, worst < TARGET_P99_MS ? "yes" : "NO"));
      double heap = Math.max(c.heapSynced, c.heapAfter) / 1048576.0;
      md.append(String.format(Locale.ROOT, "| heap < %.0f MB | %d services: %.0f MB after GC"
          + " | %s |%n", TARGET_HEAP_MB, c.services, heap, heap < TARGET_HEAP_MB ? "yes" : "NO"));
    }
    return md.toString();
  }

  private static double basePct(Config c, String kind) {
    return ms(c.runs.stream().filter(r -> r.kind().equals(kind))
        .mapToLong(ChangeRun::allAckedMicros).toArray(), 50);
  }

  /** The {@code p}-th percentile (nearest rank) of times in µs, in ms; NaN when none. */
  private static double ms(long[] micros, double p) {
    return micros.length == 0 ? Double.NaN
        : new Percentiles(Arrays.stream(micros).map(m -> m * 1000).toArray()).ms(p);
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
