package io.inboard.benchmarks.mtls;

import io.inboard.benchmarks.http.OpenLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 9's mTLS benchmark, one client JVM per (round, path, rate); run it with
 * {@code benchmarks/run-mtls-overhead.sh}, which starts {@link MtlsServers} and the two HAProxy
 * sidecars once.
 *
 * <pre>
 * MtlsOverheadBenchmark client path=PATH rate=1000 warmup=10 duration=10 conns=16 round=1
 *     identity=DIR pids=server:PID,hap_client:PID,hap_server:PID out=FILE
 * MtlsOverheadBenchmark handshake path=PATH connectors=4 warmup=5 duration=10 round=1 ...
 * MtlsOverheadBenchmark warm paths=P1,P2,... rate=2000 duration=4 identity=DIR
 * MtlsOverheadBenchmark paired proto=http|grpc rate=2000 warmup=10 block=4 blocks=5 pids=...
 * MtlsOverheadBenchmark report in=FILE [handshakes=FILE] [out=FILE]
 * </pre>
 *
 * Paths are listed in {@link MtlsPaths}. Each run appends one {@code key=value} line to
 * {@code out}; {@link MtlsReport} makes the tables for {@code BENCHMARKS.md}.
 */
public final class MtlsOverheadBenchmark {

  private MtlsOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("argument: '" + args[i] + "' (expected: key=value)");
      }
      a.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    String command = args.length == 0 ? "" : args[0];
    switch (command) {
      case "client", "handshake" -> run(command, a);
      case "warm" -> warm(a);
      case "paired" -> PairedMtlsComparison.run(a, pids(a));
      case "report" -> MtlsReport.write(Path.of(a.get("in")),
          a.containsKey("handshakes") ? Path.of(a.get("handshakes")) : null,
          a.containsKey("out") ? Path.of(a.get("out")) : null);
      default -> throw new IllegalArgumentException(
          "command: '" + command + "' (expected: client, handshake, warm, paired or report)");
    }
    System.exit(0);
  }

  private static Map<String, Long> pids(Map<String, String> a) {
    Map<String, Long> pids = new LinkedHashMap<>();
    String given = a.getOrDefault("pids", "");
    if (!given.isBlank()) {
      for (String kv : given.split(",")) {
        String[] p = kv.split(":");
        pids.put(p[0], Long.parseLong(p[1]));
      }
    }
    return pids;
  }

  /**
   * Sends each path's load for a few unrecorded seconds, one path after the other in this JVM,
   * so that the server JVM has compiled every server path before anything is recorded.
   */
  private static void warm(Map<String, String> a) throws Exception {
    Path identity = Path.of(a.getOrDefault("identity", "benchmarks/target/mtls-identity"));
    for (String path : a.getOrDefault("paths", "").split(",")) {
      MtlsPaths.Built built = MtlsPaths.build(path, identity, false);
      try {
        Map<String, String> r = OpenLoop.run(built.call(), new OpenLoop.Plan(
            Integer.parseInt(a.getOrDefault("rate", "2000")), 0,
            Integer.parseInt(a.getOrDefault("duration", "4")), 16, 50, 500), Map.of());
        System.out.println("warm " + path + ": ok=" + r.get("ok") + " err=" + r.get("err")
            + " p50_ms=" + r.get("lat_p50_ms") + r.getOrDefault("err_samples", ""));
      } finally {
        built.resources().close();
      }
    }
  }

  private static void run(String command, Map<String, String> a) throws Exception {
    String path = a.getOrDefault("path", "http-direct");
    Map<String, Long> pids = pids(a);
    boolean handshake = command.equals("handshake");
    MtlsPaths.Built built = MtlsPaths.build(path,
        Path.of(a.getOrDefault("identity", "benchmarks/target/mtls-identity")), handshake);
    Map<String, String> result;
    try {
      if (handshake) {
        result = HandshakeLoop.run(built.call(),
            Integer.parseInt(a.getOrDefault("connectors", "4")),
            Integer.parseInt(a.getOrDefault("warmup", "5")),
            Integer.parseInt(a.getOrDefault("duration", "10")), pids);
      } else {
        result = OpenLoop.run(built.call(), new OpenLoop.Plan(
            Integer.parseInt(a.getOrDefault("rate", "1000")),
            Integer.parseInt(a.getOrDefault("warmup", "10")),
            Integer.parseInt(a.getOrDefault("duration", "10")),
            Integer.parseInt(a.getOrDefault("conns", "16")),
            Integer.parseInt(a.getOrDefault("spinUs", "50")),
            Integer.parseInt(a.getOrDefault("prime", "2000"))), pids);
      }
    } finally {
      built.resources().close();
    }
    StringBuilder line = new StringBuilder();
    line.append("path=").append(path).append(" round=").append(a.getOrDefault("round", "0"));
    result.forEach((k, v) -> line.append(' ').append(k).append('=')
        .append(v.replaceAll("\\s+", "_")));
    System.out.println(line);
    if (a.containsKey("out")) {
      Files.writeString(Path.of(a.get("out")), line + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }
}
