package io.inboard.benchmarks.telemetry;

import static io.inboard.benchmarks.RunStats.max;
import static io.inboard.benchmarks.RunStats.medianOf;
import static io.inboard.benchmarks.RunStats.min;

import io.inboard.benchmarks.http.ProcSample;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU that {@link TelemetryPathBenchmark#hop} costs the whole process (the calling thread,
 * the span exporter's thread, the collector of garbage), in vCPU-s per 1000 calls: the issue's
 * CPU target measured where nothing but telemetry differs between the modes. CPU time, unlike
 * JMH's wall-clock samples, does not grow when the shared machine takes the core away.
 *
 * <p>All four modes live in this JVM; hops are made at a fixed pace ({@code rate} per second, in
 * bursts of {@code rate / 1000} every millisecond, so that the exporter works at the pace a busy
 * workload gives it rather than flat out) in alternating blocks of {@code block} seconds, the
 * order rotated round by round, and each mode is taken against the {@code off} block of the same
 * round. Process CPU comes from {@code OperatingSystemMXBean.getProcessCpuTime}; the collector,
 * when {@code collector=URL} and {@code sinkPid=PID} name one in another process, is shown apart.
 *
 * <p>Arguments, {@code key=value}: {@code rate=10000}, {@code warmup=10} s per mode,
 * {@code block=3} s, {@code rounds=6}, {@code collector=URL} (default: a sink in this JVM),
 * {@code sinkPid=PID}.
 */
public final class TelemetryPathCpu {

  private TelemetryPathCpu() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument: '" + arg + "' (expected: key=value)");
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    int rate = Integer.parseInt(a.getOrDefault("rate", "10000"));
    int warm = Integer.parseInt(a.getOrDefault("warmup", "10"));
    int block = Integer.parseInt(a.getOrDefault("block", "3"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "6"));
    long sinkPid = Long.parseLong(a.getOrDefault("sinkPid", "-1"));
    if (rate < 1000 || rate % 1000 != 0) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: a multiple of 1000)");
    }
    ZipkinSink localSink = a.containsKey("collector") ? null : ZipkinSink.start(0);
    java.net.URI collector = localSink != null ? localSink.uri()
        : java.net.URI.create(a.get("collector"));
    Map<TelemetryMode, TelemetryPathBenchmark> paths = new LinkedHashMap<>();
    try {
      for (TelemetryMode m : TelemetryMode.values()) {
        TelemetryPathBenchmark b = new TelemetryPathBenchmark();
        b.mode = m.name().toLowerCase(Locale.ROOT);
        b.collector = collector;
        b.start();
        paths.put(m, b);
      }
      for (TelemetryMode m : paths.keySet()) {
        paced(paths.get(m), rate, warm);
      }
      List<TelemetryMode> modes = new ArrayList<>(paths.keySet());
      Map<TelemetryMode, List<Double>> cpu = new LinkedHashMap<>();
      Map<TelemetryMode, List<Double>> delta = new LinkedHashMap<>();
      modes.forEach(m -> {
        cpu.put(m, new ArrayList<>());
        delta.put(m, new ArrayList<>());
      });
      for (int r = 1; r <= rounds; r++) {
        Map<TelemetryMode, Double> round = new HashMap<>();
        for (int i = 0; i < modes.size(); i++) {
          TelemetryMode m = modes.get((i + r - 1) % modes.size());
          ProcSample sink0 = sinkPid > 0 ? ProcSample.of(sinkPid) : null;
          long cpu0 = processCpuNanos();
          long calls = paced(paths.get(m), rate, block);
          double perK = (processCpuNanos() - cpu0) / 1e9 / calls * 1000;
          round.put(m, perK);
          System.out.println(String.format(Locale.ROOT, "cpu round %d %-22s %.5f vCPU-s/1k"
              + " hops%s", r, m.label(), perK, sink0 == null ? "" : String.format(Locale.ROOT,
              "  (collector %.5f)", ProcSample.of(sinkPid).cpuSecondsSince(sink0) / calls * 1000)));
        }
        for (TelemetryMode m : modes) {
          cpu.get(m).add(round.get(m));
          delta.get(m).add(round.get(m) - round.get(TelemetryMode.OFF));
        }
      }
      System.out.println();
      System.out.println(String.format(Locale.ROOT, "Process CPU per 1000 hops (client and"
          + " server telemetry of one call), %d hops/s, %d rounds of %d s; medians (min..max)",
          rate, rounds, block));
      System.out.println("| mode | vCPU-s/1k hops | over off |");
      System.out.println("|---|---:|---:|");
      for (TelemetryMode m : modes) {
        System.out.println(String.format(Locale.ROOT, "| %s | %.5f | %s |", m.label(),
            medianOf(cpu.get(m)), m == TelemetryMode.OFF ? "" : String.format(Locale.ROOT,
                "%+.5f (%+.5f..%+.5f)", medianOf(delta.get(m)), min(delta.get(m)),
                max(delta.get(m)))));
      }
      double d = medianOf(delta.get(TelemetryMode.METRICS_1PCT));
      System.out.println(String.format(Locale.ROOT, "%ntarget (metrics + 1 %%, <= 0.01 vCPU-s"
          + " per 1000 requests over off): %+.5f -> %s", d, d <= 0.01 ? "met" : "NOT met"));
    } finally {
      paths.values().forEach(TelemetryPathBenchmark::stop);
      if (localSink != null) {
        localSink.close();
      }
    }
  }

  /** Hops at {@code rate} per second for {@code seconds}; returns how many were made. */
  private static long paced(TelemetryPathBenchmark path, int rate, int seconds) {
    int burst = rate / 1000;
    long start = System.nanoTime();
    long ticks = seconds * 1000L;
    long calls = 0;
    Object sink = null;
    for (long t = 0; t < ticks; t++) {
      long due = start + TimeUnit.MILLISECONDS.toNanos(t);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      for (int i = 0; i < burst; i++) {
        sink = path.hop();
        calls++;
      }
    }
    if (sink == null) {
      throw new IllegalStateException("no hop made");
    }
    return calls;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
