package io.inboard.benchmarks.http;

import static io.inboard.benchmarks.RunStats.max;
import static io.inboard.benchmarks.RunStats.medianOf;
import static io.inboard.benchmarks.RunStats.min;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A second view of Inboard's CPU cost, made for a noisy shared machine: {@code direct} and
 * {@code inboard} in <em>one</em> JVM, driven by the same open loop in alternating short blocks
 * (direct, inboard, direct, inboard, ...), each block's process CPU read from {@code /proc}.
 *
 * <p>Why one JVM is fair here: both paths run the same generator and the same JDK client code
 * (so the JIT compiles it for both), only one path sends at a time, and the blocks alternate, so
 * a busy spell of the machine falls on both. The difference of each adjacent pair is then
 * mostly Inboard's own work per call. What it cannot separate: the idle mesh's threads during
 * direct blocks (a parked timer thread: nothing), and compilation still running after warm-up
 * (charged to whichever block it lands in; the min..max shows it).
 */
final class PairedCpuComparison {

  private PairedCpuComparison() {}

  static void run(Map<String, String> a) throws Exception {
    int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
    int warm = Integer.parseInt(a.getOrDefault("warmup", "20"));
    int block = Integer.parseInt(a.getOrDefault("block", "5"));
    int blocks = Integer.parseInt(a.getOrDefault("blocks", "6"));
    int conns = Integer.parseInt(a.getOrDefault("conns", "16"));
    int echoPort = Integer.parseInt(a.getOrDefault("echoPort", "18080"));
    ClientPaths.Built direct = ClientPaths.build("direct", echoPort, 0);
    ClientPaths.Built inboard = ClientPaths.build("inboard", echoPort, 0);
    try {
      OpenLoop.Plan warmPlan = new OpenLoop.Plan(rate, 0, warm, conns, 50, 2000);
      OpenLoop.run(direct.caller(), warmPlan, Map.of());
      OpenLoop.run(inboard.caller(), warmPlan, Map.of());
      OpenLoop.Plan blockPlan = new OpenLoop.Plan(rate, 1, block, conns, 50, 0);
      List<Double> cpuDelta = new ArrayList<>();
      List<Double> p50Delta = new ArrayList<>();
      for (int i = 1; i <= blocks; i++) {
        Map<String, String> d = OpenLoop.run(direct.caller(), blockPlan, Map.of());
        Map<String, String> m = OpenLoop.run(inboard.caller(), blockPlan, Map.of());
        double dc = Double.parseDouble(d.get("cpu_client_per1k"));
        double mc = Double.parseDouble(m.get("cpu_client_per1k"));
        double dp = Double.parseDouble(d.get("lat_p50_ms")) * 1000;
        double mp = Double.parseDouble(m.get("lat_p50_ms")) * 1000;
        cpuDelta.add(mc - dc);
        p50Delta.add(mp - dp);
        System.out.println(String.format(Locale.ROOT, "block %d: direct %.4f, inboard %.4f"
            + " CPU s/1k (delta %+.4f); p50 direct %.0f µs, inboard %.0f µs (delta %+.0f);"
            + " load %s", i, dc, mc, mc - dc, dp, mp, mp - dp,
            java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim()));
      }
      System.out.println(String.format(Locale.ROOT, "paired-cpu rate=%d blocks=%dx%ds:"
          + " inboard-added CPU s/1k median %+.4f (%+.4f..%+.4f); p50 median %+.0f µs"
          + " (%+.0f..%+.0f)", rate, blocks, block, medianOf(cpuDelta), min(cpuDelta),
          max(cpuDelta), medianOf(p50Delta), min(p50Delta), max(p50Delta)));
    } finally {
      direct.resources().close();
      inboard.resources().close();
    }
  }
}
