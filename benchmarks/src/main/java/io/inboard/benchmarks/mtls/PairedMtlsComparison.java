package io.inboard.benchmarks.mtls;

import static io.inboard.benchmarks.RunStats.max;
import static io.inboard.benchmarks.RunStats.medianOf;
import static io.inboard.benchmarks.RunStats.min;

import io.inboard.benchmarks.http.OpenLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * mTLS's cost once more, made for a noisy shared machine (as issue 4's {@code
 * PairedCpuComparison}): Inboard plaintext and Inboard mTLS of one protocol in <em>one</em>
 * client JVM (one mesh each), driven by the same open loop in alternating short blocks, each
 * block's client and server CPU read from {@code /proc}. A busy spell of the machine then falls
 * on both, and the difference of each adjacent pair is mostly what mTLS adds per request.
 */
final class PairedMtlsComparison {

  private PairedMtlsComparison() {}

  static void run(Map<String, String> a, Map<String, Long> pids) throws Exception {
    String proto = a.getOrDefault("proto", "http");
    int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
    int warm = Integer.parseInt(a.getOrDefault("warmup", "10"));
    int block = Integer.parseInt(a.getOrDefault("block", "4"));
    int blocks = Integer.parseInt(a.getOrDefault("blocks", "5"));
    Path identity = Path.of(a.getOrDefault("identity", "benchmarks/target/mtls-identity"));
    MtlsPaths.Built plain = MtlsPaths.build(proto + "-inboard-plain", identity, false);
    MtlsPaths.Built mtls = MtlsPaths.build(proto + "-inboard-mtls", identity, false);
    try {
      OpenLoop.Plan warmPlan = new OpenLoop.Plan(rate, 0, warm, 16, 50, 2000);
      OpenLoop.run(plain.call(), warmPlan, Map.of());
      OpenLoop.run(mtls.call(), warmPlan, Map.of());
      OpenLoop.Plan blockPlan = new OpenLoop.Plan(rate, 1, block, 16, 50, 0);
      List<Double> cpu = new ArrayList<>();
      List<Double> p50 = new ArrayList<>();
      StringBuilder log = new StringBuilder();
      for (int i = 1; i <= blocks; i++) {
        Map<String, String> p = OpenLoop.run(plain.call(), blockPlan, pids);
        Map<String, String> m = OpenLoop.run(mtls.call(), blockPlan, pids);
        double pc = num(p, "cpu_client_per1k") + num(p, "cpu_server_per1k");
        double mc = num(m, "cpu_client_per1k") + num(m, "cpu_server_per1k");
        double pp = num(p, "lat_p50_ms") * 1000;
        double mp = num(m, "lat_p50_ms") * 1000;
        cpu.add(mc - pc);
        p50.add(mp - pp);
        String line = fmt("paired %s block %d: client+server CPU s/1k plain %.4f, mtls %.4f"
            + " (delta %+.4f); p50 plain %.0f µs, mtls %.0f µs (delta %+.0f); load %s", proto, i,
            pc, mc, mc - pc, pp, mp, mp - pp,
            Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println(line);
        log.append(line).append('\n');
      }
      String summary = fmt("paired %s rate=%d blocks=%dx%ds: mTLS-added client+server CPU s/1k"
          + " median %+.4f (%+.4f..%+.4f); p50 median %+.0f µs (%+.0f..%+.0f)", proto, rate,
          blocks, block, medianOf(cpu), min(cpu), max(cpu), medianOf(p50), min(p50), max(p50));
      System.out.println(summary);
      log.append(summary).append('\n');
      if (a.containsKey("out")) {
        Files.writeString(Path.of(a.get("out")), log, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } finally {
      plain.resources().close();
      mtls.resources().close();
    }
  }

  private static double num(Map<String, String> r, String k) {
    return Double.parseDouble(r.get(k));
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
