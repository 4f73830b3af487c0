package io.inboard.benchmarks.telemetry;

import static io.inboard.benchmarks.RunStats.max;
import static io.inboard.benchmarks.RunStats.medianOf;
import static io.inboard.benchmarks.RunStats.min;

import io.inboard.benchmarks.http.OpenLoop;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end view of telemetry's cost: calls from a client mesh to a meshed server on
 * loopback, one path per {@link TelemetryMode}, all in this JVM ({@link HttpModePath}:
 * {@code MeshHttpClient} to Jetty behind {@code MeshServletFilter}; {@link GrpcModePath}:
 * {@code MeshChannels} to {@code MeshGrpc.serverBuilder}), driven by the same open loop
 * ({@link OpenLoop}) in alternating short blocks, as {@code PairedCpuComparison} does: round
 * {@code r} runs every mode once, the order rotated by {@code r}, and each mode's p50 and process
 * CPU per 1000 requests are taken against the {@code off} block of the same round. The medians of
 * those deltas (with their min..max) are the result. A round in which the machine starved this
 * JVM (the generator's median send more than 1 ms late in any block) is left out, and counted.
 * Process CPU is this JVM's: the client's and the server's work (both sides of each call), the
 * generator and the span exporters; the Zipkin collector runs in its own process
 * ({@code collector=}, {@code sinkPid=}) and is shown apart.
 *
 * <p>Arguments, {@code key=value}: {@code protocols=http,grpc} (one after the other),
 * {@code rate=2000} requests/s, {@code warmup=15} s per mode first, {@code block=4} s recorded
 * per block (after 1 s unrecorded), {@code rounds=8}, {@code conns=16} in flight at most,
 * {@code modes=off,metrics_1pct,metrics_100pct} (off first: the baseline), {@code collector=URL}
 * (default: a sink in this JVM), {@code sinkPid=PID}, {@code out=FILE} (every block appended as
 * one line of {@code key=value}).
 */
public final class TelemetryOverheadBenchmark {

  private static final double TARGET_P50_MICROS = 5;
  private static final double TARGET_CPU_PER_1K = 0.01;
  private static final double LATE_MILLIS = 1.0;

  private TelemetryOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument: '" + arg + "' (expected: key=value)");
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
    int warm = Integer.parseInt(a.getOrDefault("warmup", "15"));
    int block = Integer.parseInt(a.getOrDefault("block", "4"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "8"));
    int conns = Integer.parseInt(a.getOrDefault("conns", "16"));
    List<TelemetryMode> modes = new ArrayList<>();
    for (String m : a.getOrDefault("modes", "off,metrics_1pct,metrics_100pct").split(",")) {
      modes.add(TelemetryMode.parse(m));
    }
    if (modes.get(0) != TelemetryMode.OFF) {
      throw new IllegalArgumentException(
          "modes: " + modes + " (expected: off first, the baseline)");
    }
    Map<String, Long> pids = new LinkedHashMap<>();
    if (a.containsKey("sinkPid")) {
      pids.put("collector", Long.parseLong(a.get("sinkPid")));
    }
    Path out = a.containsKey("out") ? Path.of(a.get("out")) : null;

    List<String> protocols = List.of(a.getOrDefault("protocols", "http,grpc").split(","));
    ZipkinSink localSink = a.containsKey("collector") ? null : ZipkinSink.start(0);
    URI collector = localSink != null ? localSink.uri() : URI.create(a.get("collector"));
    Settings settings = new Settings(rate, warm, block, rounds, conns, modes, pids, out,
        collector);
    try {
      for (String protocol : protocols) {
        compare(protocol.trim(), settings);
      }
    } finally {
      if (localSink != null) {
        localSink.close();
      }
    }
    System.exit(0);
  }

  /** What {@link #main} was asked for. */
  private record Settings(int rate, int warm, int block, int rounds, int conns,
      List<TelemetryMode> modes, Map<String, Long> pids, Path out, URI collector) {}

  /** Every mode of {@code protocol}, alternating; prints the blocks and the summary. */
  private static void compare(String protocol, Settings s) throws Exception {
    int rate = s.rate();
    int block = s.block();
    int rounds = s.rounds();
    List<TelemetryMode> modes = s.modes();
    Map<String, Long> pids = s.pids();
    Path out = s.out();
    Map<TelemetryMode, ModePath> paths = new LinkedHashMap<>();
    try {
      for (TelemetryMode m : modes) {
        paths.put(m, ModePath.start(protocol, m, s.collector()));
      }
      OpenLoop.Plan warmPlan = new OpenLoop.Plan(rate, 0, s.warm(), s.conns(), 50, 2000);
      for (TelemetryMode m : modes) {
        System.out.println(String.format(Locale.ROOT, "%s: warming %s, %d s at %d/s", protocol,
            m.label(), s.warm(), rate));
        OpenLoop.run(paths.get(m).call(), warmPlan, Map.of());
      }
      OpenLoop.Plan blockPlan = new OpenLoop.Plan(rate, 1, block, s.conns(), 50, 0);
      Map<TelemetryMode, List<Double>> p50Delta = new LinkedHashMap<>();
      Map<TelemetryMode, List<Double>> cpuDelta = new LinkedHashMap<>();
      Map<TelemetryMode, List<Double>> p50 = new LinkedHashMap<>();
      Map<TelemetryMode, List<Double>> cpu = new LinkedHashMap<>();
      modes.forEach(m -> {
        p50Delta.put(m, new ArrayList<>());
        cpuDelta.put(m, new ArrayList<>());
        p50.put(m, new ArrayList<>());
        cpu.put(m, new ArrayList<>());
      });
      long errors = 0;
      int excluded = 0;
      for (int r = 1; r <= rounds; r++) {
        Map<TelemetryMode, Map<String, String>> round = new LinkedHashMap<>();
        for (int i = 0; i < modes.size(); i++) {
          TelemetryMode m = modes.get((i + r - 1) % modes.size());
          Map<String, String> run = OpenLoop.run(paths.get(m).call(), blockPlan, pids);
          round.put(m, run);
          errors += Long.parseLong(run.get("err"));
          String load = Files.readString(Path.of("/proc/loadavg")).trim();
          System.out.println(String.format(Locale.ROOT, "%s round %d %-16s p50 %4.0f µs  p99 %6.0f"
              + " µs  CPU %.4f s/1k%s  ok %s err %s  load %s", protocol, r, m.label(),
              num(run, "lat_p50_ms") * 1000, num(run, "lat_p99_ms") * 1000,
              num(run, "cpu_client_per1k"), run.containsKey("cpu_collector_per1k")
                  ? "  collector " + run.get("cpu_collector_per1k") : "",
              run.get("ok"), run.get("err"), load));
          if (out != null) {
            StringBuilder line = new StringBuilder("protocol=" + protocol + " round=" + r + " mode="
                + m.name().toLowerCase(Locale.ROOT));
            run.forEach((k, v) -> line.append(' ').append(k).append('=')
                .append(v.replace(' ', '_')));
            Files.writeString(out, line + " load=" + load.replace(' ', '_') + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          }
        }
        String late = overloaded(round);
        if (late != null) {
          excluded++;
          System.out.println("  round " + r + " left out: " + late);
          continue;
        }
        Map<String, String> off = round.get(TelemetryMode.OFF);
        for (TelemetryMode m : modes) {
          Map<String, String> run = round.get(m);
          p50.get(m).add(num(run, "lat_p50_ms") * 1000);
          cpu.get(m).add(num(run, "cpu_client_per1k"));
          p50Delta.get(m).add((num(run, "lat_p50_ms") - num(off, "lat_p50_ms")) * 1000);
          cpuDelta.get(m).add(num(run, "cpu_client_per1k") - num(off, "cpu_client_per1k"));
        }
      }
      System.out.println();
      System.out.println(String.format(Locale.ROOT, "%s, %d rounds of %d s blocks at %d/s"
          + " (%d left out: machine overloaded), %d errors; medians over rounds (min..max);"
          + " deltas against the same round's off", protocol, rounds, block, rate, excluded,
          errors));
      if (excluded == rounds) {
        System.out.println("no round left: nothing to report");
        return;
      }
      System.out.println("| mode | p50 µs | JVM CPU vCPU-s/1k | p50 over off | CPU over off |");
      System.out.println("|---|---:|---:|---:|---:|");
      for (TelemetryMode m : modes) {
        boolean base = m == TelemetryMode.OFF;
        System.out.println(String.format(Locale.ROOT, "| %s | %.0f | %.4f | %s | %s |",
            m.label(), medianOf(p50.get(m)), medianOf(cpu.get(m)),
            base ? "" : String.format(Locale.ROOT, "%+.0f µs (%+.0f..%+.0f)",
                medianOf(p50Delta.get(m)), min(p50Delta.get(m)), max(p50Delta.get(m))),
            base ? "" : String.format(Locale.ROOT, "%+.4f (%+.4f..%+.4f)",
                medianOf(cpuDelta.get(m)), min(cpuDelta.get(m)), max(cpuDelta.get(m)))));
      }
      if (modes.contains(TelemetryMode.METRICS_1PCT)) {
        double dp = medianOf(p50Delta.get(TelemetryMode.METRICS_1PCT));
        double dc = medianOf(cpuDelta.get(TelemetryMode.METRICS_1PCT));
        System.out.println(String.format(Locale.ROOT, "%ntarget, metrics + 1 %% over off (both"
            + " sides of each call): p50 %+.0f µs (<= %.0f: %s), CPU %+.4f vCPU-s/1k (<= %.2f:"
            + " %s)", dp, TARGET_P50_MICROS, dp <= TARGET_P50_MICROS ? "met" : "not met", dc,
            TARGET_CPU_PER_1K, dc <= TARGET_CPU_PER_1K ? "met" : "not met"));
      }
    } finally {
      for (ModePath p : paths.values()) {
        p.close();
      }
    }
  }

  /**
   * Why a round says nothing about telemetry, or {@code null}: when the generator sent its median
   * request more than {@value #LATE_MILLIS} ms late in any block, the machine did not give this
   * JVM the CPU it needed, and that block's latency is the backlog, not the calls.
   */
  private static String overloaded(Map<TelemetryMode, Map<String, String>> round) {
    for (Map.Entry<TelemetryMode, Map<String, String>> e : round.entrySet()) {
      double late = num(e.getValue(), "late_p50_ms");
      if (late > LATE_MILLIS) {
        return String.format(Locale.ROOT, "the generator's median send in %s was %.1f ms late",
            e.getKey().label(), late);
      }
    }
    return null;
  }

  private static double num(Map<String, String> run, String key) {
    return Double.parseDouble(run.get(key));
  }
}
