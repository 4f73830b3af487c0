package io.inboard.benchmarks.peak;

import io.inboard.benchmarks.ClientOrReport;
import io.inboard.benchmarks.grpc.GrpcOverheadBenchmark;
import io.inboard.benchmarks.grpc.GrpcPaths;
import io.inboard.benchmarks.http.ClientPaths;
import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import io.inboard.benchmarks.http.OpenLoop;
import java.util.Map;

/**
 * Issue 14's peak throughput: a {@link ClosedLoop} at each fixed concurrency through one path of
 * one protocol, in a client JVM of its own, so that the JVM's CPU is that path's. Run it with
 * {@code benchmarks/run-peak.sh}, which starts the servers and proxies once.
 *
 * <pre>
 * PeakBenchmark client proto=http path=direct|inboard|sidecar concurrencies=16,64 warmup=5
 *     rewarmup=5 duration=5 round=1 echoPort=19110 sidecarPort=19111 pids=NAME:PID,... out=FILE
 * PeakBenchmark client proto=grpc path=direct|inboard-xds|inboard-k8s|sidecar ... grpcPort=19100
 *     xdsPort=19101 sidecarPort=19102 k8sUrlFile=FILE
 * PeakBenchmark report in=FILE [out=FILE]
 * </pre>
 *
 * The HTTP paths are those of the HTTP per-call benchmark ({@link ClientPaths}), the gRPC paths
 * those of the gRPC one ({@link GrpcPaths}). Each concurrency appends one line to {@code out};
 * {@link PeakReport} turns the lines into tables.
 */
public final class PeakBenchmark {

  private PeakBenchmark() {}

  public static void main(String[] args) throws Exception {
    ClientOrReport.main(args, PeakBenchmark::client, PeakReport::write);
  }

  private static void client(Map<String, String> a) throws Exception {
    String proto = a.getOrDefault("proto", "http");
    String path = a.getOrDefault("path", "direct");
    OpenLoop.Call call;
    AutoCloseable resources;
    switch (proto) {
      case "http" -> {
        ClientPaths.Built built = ClientPaths.build(path,
            Integer.parseInt(a.getOrDefault("echoPort", "19110")),
            Integer.parseInt(a.getOrDefault("sidecarPort", "19111")));
        call = OpenLoop.call(built.caller());
        resources = built.resources();
      }
      case "grpc" -> {
        GrpcPaths.Built built = GrpcPaths.build(path, GrpcOverheadBenchmark.ports(a));
        call = built.call();
        resources = built.resources();
      }
      default -> throw new IllegalArgumentException(
          "proto: '" + proto + "' (expected: http or grpc)");
    }
    try {
      // a cold JVM's first calls load classes and connect: not part of any measurement
      for (int i = 0; i < 200; i++) {
        call.call().exceptionally(t -> -1).join();
      }
      int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
      for (String c : a.getOrDefault("concurrencies", "16,64").split(",")) {
        Map<String, String> result = ClosedLoop.run(call, Integer.parseInt(c.trim()), warmup,
            Integer.parseInt(a.getOrDefault("duration", "5")), HttpOverheadBenchmark.pids(a));
        result.put("proto", proto);
        HttpOverheadBenchmark.record(path, a, result);
        // later concurrencies find the JVM warm; they only settle at their own load
        warmup = Integer.parseInt(a.getOrDefault("rewarmup", Integer.toString(warmup)));
      }
    } finally {
      resources.close();
    }
  }
}
