package io.inboard.benchmarks.grpc;

import io.inboard.benchmarks.ClientOrReport;
import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import io.inboard.benchmarks.http.OpenLoop;
import io.inboard.benchmarks.http.OverheadReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Issue 14's per-call cost on the gRPC path: the HTTP benchmark's open loop ({@link OpenLoop},
 * 1 KB unary responses) through each of {@link GrpcPaths}' paths. Run it with
 * {@code benchmarks/run-grpc-overhead.sh}, which starts {@link GrpcBenchServers} and the two
 * HAProxy sidecars once, then client JVMs, each path's CPU in a JVM of its own.
 *
 * <pre>
 * GrpcOverheadBenchmark client path=direct|inboard-xds|inboard-k8s|sidecar rates=3000,1000
 *     prime=2000 warmup=8 rewarmup=2 duration=15 conns=16 round=1 grpcPort=19100 xdsPort=19101
 *     sidecarPort=19102 k8sUrlFile=FILE pids=server:PID,hap_client:PID,hap_server:PID out=FILE
 * GrpcOverheadBenchmark report in=FILE [out=FILE]
 * </pre>
 *
 * A client run measures its rates one after another in the same JVM: the first after
 * {@code prime} calls and {@code warmup} seconds, each later one after {@code rewarmup} seconds
 * (default: {@code warmup}) at its own rate, and appends one line per rate to {@code out}, in the HTTP benchmark's format, so
 * that {@link OverheadReport} turns them into the same tables.
 */
public final class GrpcOverheadBenchmark {

  private GrpcOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    ClientOrReport.main(args, GrpcOverheadBenchmark::client, OverheadReport::write);
  }

  private static void client(Map<String, String> a) throws Exception {
    String path = a.getOrDefault("path", "direct");
    GrpcPaths.Built built = GrpcPaths.build(path, ports(a));
    try {
      String warmup = a.getOrDefault("warmup", "8");
      for (String rate : a.getOrDefault("rates", "1000").split(",")) {
        a.put("rate", rate.trim());
        a.put("warmup", warmup);
        Map<String, String> result = OpenLoop.run(built.call(), HttpOverheadBenchmark.plan(a),
            HttpOverheadBenchmark.pids(a));
        HttpOverheadBenchmark.record(path, a, result);
        // the JVM is warm now: later rates only settle at their own rate
        warmup = a.getOrDefault("rewarmup", warmup);
        a.put("prime", "0");
      }
    } finally {
      built.resources().close();
    }
  }

  /** The far ends named by a run's arguments, with the defaults of run-grpc-overhead.sh. */
  public static GrpcPaths.Ports ports(Map<String, String> a) throws java.io.IOException {
    Path urlFile = Path.of(a.getOrDefault("k8sUrlFile", "benchmarks/target/grpc-k8s-url"));
    return new GrpcPaths.Ports(Integer.parseInt(a.getOrDefault("grpcPort", "19100")),
        Integer.parseInt(a.getOrDefault("xdsPort", "19101")),
        Integer.parseInt(a.getOrDefault("sidecarPort", "19102")),
        Files.exists(urlFile) ? Files.readString(urlFile).trim() : "");
  }
}
