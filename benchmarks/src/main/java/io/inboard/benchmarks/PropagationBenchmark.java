package io.inboard.benchmarks;

import io.inboard.mesh.controlplane.ControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 3's propagation benchmark: the time from a config change to every connected client
 * having ACKed it, for N clients each on its own ADS stream.
 *
 * <p>One control plane (ephemeral port) serves one service with three endpoints on 127.0.0.2-4
 * (real gRPC servers on one port), a DestinationRule with subsets v1/v2 and a VirtualService
 * splitting between them. For each client count, a set of clients connects and each makes one
 * call, which subscribes it to LDS, RDS, CDS and EDS. Then changes of each kind (see {@link
 * ChangeKind}) are made one at a time, interleaved, each after every client is back in sync, and
 * timed from just before {@code apply}/{@code register} until the control plane has recorded
 * every client's ACK of a newer version of the changed type. Client counts are interleaved too,
 * over several rounds, so that a noisy stretch of a shared machine does not land on one count.
 *
 * <p>Arguments ({@code key=value}, see {@link Options}): {@code clients=1,10,50 iterations=30
 * rounds=3 warmup=3 pollMicros=1000 settleMillis=50 timeoutMillis=10000
 * csv=benchmarks/target/propagation.csv}. Prints the machine, the command, a Markdown table and
 * the N=max/N=min ratios; writes every sample to the CSV file.
 */
public final class PropagationBenchmark {
  private static final List<String> BASE_ENDPOINTS = List.of("127.0.0.2", "127.0.0.3",
      "127.0.0.4");
  private static final String EXTRA_ENDPOINT = "127.0.0.5";

  private final Options options;
  private final Map<ChangeKind, Integer> seq = new EnumMap<>(ChangeKind.class);

  private PropagationBenchmark(Options options) {
    this.options = options;
    for (ChangeKind k : ChangeKind.values()) {
      seq.put(k, 0);
    }
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    System.out.println("## Propagation benchmark (issue 3)");
    System.out.println(Machine.describe());
    System.out.println("command: " + Machine.command(PropagationBenchmark.class.getName(), args));
    System.out.println("options: " + o);
    long start = System.nanoTime();
    List<Sample> samples = new PropagationBenchmark(o).run();
    Report report = new Report(samples, o.clients());
    System.out.println();
    System.out.print(report.table());
    System.out.println();
    System.out.print(report.ratios());
    System.out.printf("%nload average after: %s; wall time %.0f s%n", Machine.loadAverage(),
        (System.nanoTime() - start) / 1e9);
    if (o.csv() != null) {
      Files.createDirectories(o.csv().toAbsolutePath().getParent());
      List<String> lines = new ArrayList<>(List.of(Sample.csvHeader()));
      samples.forEach(s -> lines.add(s.csv()));
      Files.write(o.csv(), lines);
      System.out.println("samples: " + o.csv());
    }
    // grpc's shared event loops are not daemon threads
    System.exit(0);
  }

  private List<Sample> run() throws IOException, InterruptedException {
    List<String> addresses = new ArrayList<>(BASE_ENDPOINTS);
    addresses.add(EXTRA_ENDPOINT);
    List<Sample> samples = new ArrayList<>();
    try (Backends backends = Backends.start(addresses);
        ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
        AckWatcher watcher = new AckWatcher(cp, options.poll(), options.timeout())) {
      BenchService service = new BenchService(cp, backends.port(), BASE_ENDPOINTS,
          EXTRA_ENDPOINT);
      for (int round = 1; round <= options.rounds(); round++) {
        for (int n : rotated(options.clients(), round - 1)) {
          long t0 = System.nanoTime();
          try (BenchClients clients = BenchClients.connect(cp.xdsAddress(), service.target(),
              "bench-r" + round + "-n" + n, n)) {
            Set<String> ids = new LinkedHashSet<>(clients.nodeIds());
            for (int i = 0; i < options.warmup() + options.perRound(); i++) {
              for (ChangeKind kind : ChangeKind.values()) {
                Sample s = measureOne(watcher, service, kind, ids, round);
                if (i >= options.warmup()) {
                  samples.add(s);
                }
              }
            }
          }
          System.err.printf("round %d, %d clients: done in %.1f s%n", round, n,
              (System.nanoTime() - t0) / 1e9);
        }
      }
    }
    return samples;
  }

  private Sample measureOne(AckWatcher watcher, BenchService service, ChangeKind kind,
      Set<String> ids, int round) throws InterruptedException {
    // settle first: the control plane debounces changes (100 ms), so the previous change's
    // reset may not be published yet, and would count as this change
    LockSupport.parkNanos(options.settle().toNanos());
    Map<String, Map<XdsType, String>> baseline = watcher.awaitInSync(ids);
    int k = seq.merge(kind, 1, Integer::sum) - 1;
    Sample s = watcher.measure(kind, () -> kind.make(service, k), ids, baseline, round);
    if (kind.needsReset()) {
      watcher.awaitInSync(ids);
      kind.reset(service);
    }
    return s;
  }

  /** {@code list} rotated left by {@code by}, so each round starts with another client count. */
  private static List<Integer> rotated(List<Integer> list, int by) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(list.get((i + by) % list.size()));
    }
    return out;
  }
}
