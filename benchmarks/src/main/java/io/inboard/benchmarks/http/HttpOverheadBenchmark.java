package io.inboard.benchmarks.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 4's per-call overhead benchmark: the same open-loop load through a bare JDK client, through
 * {@code MeshHttpClient}, and through two HAProxy sidecars, to one echo server. Run it with
 * {@code benchmarks/run-http-overhead.sh}, which starts the echo server and the proxies once and
 * then one client JVM per (round, path, rate), so that each JVM's CPU is exactly one path's.
 *
 * <pre>
 * HttpOverheadBenchmark client path=direct|inboard|sidecar [label=NAME] rate=1000 prime=2000
 *     warmup=8 duration=15 conns=16 round=1 echoPort=18080 sidecarPort=15001
 *     pids=server:PID,hap_client:PID,hap_server:PID out=FILE
 * HttpOverheadBenchmark paired-cpu rate=2000 warmup=20 block=5 blocks=6 echoPort=18080
 * HttpOverheadBenchmark report in=FILE [out=FILE]
 * </pre>
 *
 * A client run appends one line of {@code key=value} pairs to {@code out}; {@link OverheadReport}
 * turns those lines into the tables in {@code BENCHMARKS.md}.
 */
public final class HttpOverheadBenchmark {

  private HttpOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException(
          "command: none (expected: client, paired-cpu or report)");
    }
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("argument: '" + args[i] + "' (expected: key=value)");
      }
      a.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    switch (args[0]) {
      case "client" -> client(a);
      case "paired-cpu" -> PairedCpuComparison.run(a);
      case "report" -> OverheadReport.write(Path.of(a.get("in")),
          a.containsKey("out") ? Path.of(a.get("out")) : null);
      default -> throw new IllegalArgumentException(
          "command: '" + args[0] + "' (expected: client, paired-cpu or report)");
    }
    System.exit(0);
  }

  private static void client(Map<String, String> a) throws Exception {
    String path = a.getOrDefault("path", "direct");
    OpenLoop.Plan plan = new OpenLoop.Plan(
        Integer.parseInt(a.getOrDefault("rate", "1000")),
        Integer.parseInt(a.getOrDefault("warmup", "8")),
        Integer.parseInt(a.getOrDefault("duration", "15")),
        Integer.parseInt(a.getOrDefault("conns", "16")),
        Integer.parseInt(a.getOrDefault("spinUs", "50")),
        Integer.parseInt(a.getOrDefault("prime", "2000")));
    Map<String, Long> pids = new LinkedHashMap<>();
    String given = a.getOrDefault("pids", "");
    if (!given.isBlank()) {
      for (String kv : given.split(",")) {
        String[] p = kv.split(":");
        pids.put(p[0], Long.parseLong(p[1]));
      }
    }
    ClientPaths.Built built = ClientPaths.build(path,
        Integer.parseInt(a.getOrDefault("echoPort", "18080")),
        Integer.parseInt(a.getOrDefault("sidecarPort", "15001")));
    Map<String, String> result;
    try {
      result = OpenLoop.run(built.caller(), plan, pids);
    } finally {
      built.resources().close();
    }
    StringBuilder line = new StringBuilder();
    line.append("path=").append(a.getOrDefault("label", path))
        .append(" round=").append(a.getOrDefault("round", "0"))
        .append(" fjp_parallelism=")
        .append(java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
    result.forEach((k, v) -> line.append(' ').append(k).append('=')
        .append(v.replaceAll("\\s+", "_")));
    System.out.println(line);
    if (a.containsKey("out")) {
      Files.writeString(Path.of(a.get("out")), line + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  /** Reads one {@code key=value ...} line as written by a client run. */
  public static Map<String, String> parseLine(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : line.trim().split(" ")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }
}
