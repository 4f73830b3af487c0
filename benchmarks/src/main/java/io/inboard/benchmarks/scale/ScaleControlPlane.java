package io.inboard.benchmarks.scale;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.EndpointUpdate;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control plane's JVM: {@code ScaleControlPlane <port> <services>} serves ADS on {@code
 * 127.0.0.1:<port>} with {@code services} services of {@value ScaleConfig#ENDPOINTS} endpoints,
 * then makes the change each stdin line names and answers on stdout, so that the driver can
 * read its CPU from {@code /proc} apart from the clients'.
 *
 * <ul>
 *   <li>{@code endpoint <n>}: registers a further endpoint on {@link ScaleConfig#GROWING}
 *   <li>{@code weight <w>}: sets {@link ScaleConfig#WEIGHTED}'s v1 weight to {@code w} %
 *   <li>{@code rule <max>}: sets {@link ScaleConfig#POOLED}'s connection-pool limit
 *   <li>{@code rolling <generation>}: replaces the endpoints of the hot services (10 × 10), in
 *       one update
 *   <li>{@code heap}: collects garbage and answers {@code heap <used bytes>}
 * </ul>
 *
 * <p>Each change is answered {@code changed <epoch µs>}, the time just before the API call, on
 * the clock the client JVMs stamp their ACKs with.
 */
public final class ScaleControlPlane {
  private ScaleControlPlane() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int services = Integer.parseInt(args[1]);
    // ADS only: the CA, the injection webhook and the admin API would bind ports of their own
    try (ControlPlane cp = ControlPlane.builder().host("127.0.0.1").xdsPort(port).adminPort(-1)
        .securePort(-1).injectionPort(-1).start()) {
      List<ServiceEndpoint> all = new ArrayList<>();
      for (int s = 0; s < services; s++) {
        all.addAll(endpoints(s, 0));
      }
      cp.register(all);
      check(cp.apply(ScaleConfig.weightedRoute(50)));
      check(cp.apply(ScaleConfig.pooledRule(1000)));
      System.out.println("ready " + cp.xdsPort() + " " + ProcessHandle.current().pid());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
        String[] w = line.trim().split(" ");
        int n = w.length > 1 ? Integer.parseInt(w[1]) : 0;
        long at = micros();
        switch (w[0]) {
          case "endpoint" -> cp.register(new ServiceEndpoint(ScaleConfig.host(ScaleConfig.GROWING),
              ScaleConfig.PORT, ScaleConfig.address(services + n, 0, 0), Map.of("version", "v1")));
          case "weight" -> check(cp.apply(ScaleConfig.weightedRoute(n)));
          case "rule" -> check(cp.apply(ScaleConfig.pooledRule(n)));
          case "rolling" -> {
            EndpointUpdate.Builder u = EndpointUpdate.builder();
            for (int s = 0; s < Math.min(ScaleConfig.HOT, services); s++) {
              u.deregister(endpoints(s, n - 1)).register(endpoints(s, n));
            }
            cp.update(u.build());
          }
          case "heap" -> {
            System.out.println("heap " + heapAfterGc());
            continue;
          }
          default -> throw new IllegalArgumentException("command: " + line);
        }
        System.out.println("changed " + at);
      }
    }
  }

  private static List<ServiceEndpoint> endpoints(int service, int generation) {
    List<ServiceEndpoint> out = new ArrayList<>();
    for (int e = 0; e < ScaleConfig.ENDPOINTS; e++) {
      out.add(new ServiceEndpoint(ScaleConfig.host(service), ScaleConfig.PORT,
          ScaleConfig.address(service, e, generation), Map.of("version", e % 2 == 0 ? "v1" : "v2")));
    }
    return out;
  }

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /** Heap in use after two full collections: what the control plane keeps, not its garbage. */
  private static long heapAfterGc() {
    System.gc();
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return heap.getUsed();
  }

  private static void check(Diagnostics d) {
    if (d.hasErrors()) {
      throw new IllegalStateException("config rejected: " + d);
    }
  }
}
