package io.inboard.benchmarks.telemetry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link TelemetryPathBenchmark} (JMH options from the command line, e.g. {@code -f 1 -wi 3
 * -prof gc}) and prints, per benchmark and mode, p50, p99, mean and bytes allocated per call, each
 * next to the same benchmark's {@code off} mode in this run, then the p50 target
 * (metrics + 1 % at most 5 µs over off, per call on both sides: {@code hop}).
 */
public final class TelemetryPathReport {

  private static final double TARGET_P50_NANOS = 5_000;

  private TelemetryPathReport() {}

  /** A benchmark's figures in one mode. */
  private record Row(String benchmark, TelemetryMode mode, double p50, double p99, double mean,
      double bytesPerOp) {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    Options options = new OptionsBuilder().parent(cli)
        .include(cli.getIncludes().isEmpty() ? TelemetryPathBenchmark.class.getName() + "\\..*"
            : cli.getIncludes().get(0))
        .build();
    Collection<RunResult> results = new Runner(options).run();
    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      Result<?> primary = r.getPrimaryResult();
      var stats = primary.getStatistics();
      // JMH 1.37 names it without the leading '·' that older versions put there
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      rows.add(new Row(name.substring(name.lastIndexOf('.') + 1),
          TelemetryMode.parse(r.getParams().getParam("mode")), stats.getPercentile(50),
          stats.getPercentile(99), stats.getMean(), alloc == null ? Double.NaN : alloc.getScore()));
    }
    Map<String, Row> off = new HashMap<>();
    rows.stream().filter(x -> x.mode() == TelemetryMode.OFF)
        .forEach(x -> off.put(x.benchmark(), x));
    System.out.println();
    System.out.println("| benchmark | mode | p50 ns | p99 ns | mean ns | B/call | p50 over off | "
        + "mean over off | B/call over off |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Row x : rows) {
      Row base = off.get(x.benchmark());
      boolean delta = base != null && x.mode() != TelemetryMode.OFF;
      System.out.println(String.format(Locale.ROOT,
          "| %s | %s | %.0f | %.0f | %.0f | %.0f | %s | %s | %s |", x.benchmark(),
          x.mode().label(), x.p50(), x.p99(), x.mean(), x.bytesPerOp(),
          delta ? signed(x.p50() - base.p50(), "ns") : "",
          delta ? signed(x.mean() - base.mean(), "ns") : "",
          delta ? signed(x.bytesPerOp() - base.bytesPerOp(), "B") : ""));
    }
    Row hopOff = off.get("hop");
    rows.stream().filter(x -> x.benchmark().equals("hop") && x.mode() == TelemetryMode.METRICS_1PCT)
        .findFirst().ifPresent(x -> {
          if (hopOff != null) {
            double d = x.p50() - hopOff.p50();
            System.out.println(String.format(Locale.ROOT, "%ntarget (metrics + 1 %%, both sides "
                + "of a call, p50 <= +%.0f ns over off): %+.0f ns -> %s", TARGET_P50_NANOS, d,
                d <= TARGET_P50_NANOS ? "met" : "NOT met"));
          }
        });
  }

  private static String signed(double v, String unit) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%+.0f %s", v, unit);
  }
}
