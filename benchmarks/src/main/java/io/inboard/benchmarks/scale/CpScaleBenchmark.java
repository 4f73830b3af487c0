package io.inboard.benchmarks.scale;

import io.inboard.benchmarks.http.ProcSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 14's control plane at scale. For each service count: starts the control plane in a JVM
 * of its own ({@link ScaleControlPlane}), then {@code jvms} client JVMs ({@link
 * AdsLoadClients}) with {@code clients} ADS clients in all, waits until every client holds all
 * four types, and times {@code iterations} changes of each kind (see {@link #KINDS}) from the
 * change to every client's ACK of the changed type. Writes {@code summary.md} to {@code out}.
 *
 * <p>Arguments (key=value): {@code services} (comma-separated, default 100,1000), {@code
 * clients} (100), {@code jvms} (4), {@code groups} (label sets among the clients, default
 * clients / 10), {@code iterations} (5), {@code port} (19200), {@code nodebounce} (service
 * counts also run with the debounce off, to measure the delay it adds; default 100), {@code
 * cpHeap} (the control plane's -Xmx, default 1g), {@code jfr} (true: the control plane JVM
 * records a JFR profile to {@code out/cp-<services>-<debounce>.jfr}; default false), {@code
 * out} (directory).
 */
public final class CpScaleBenchmark {
  /** The changes, each with the type it is meant to change and the command making it. */
  static final Map<String, AdsLoadClient.Type> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("endpoint added", AdsLoadClient.Type.EDS);
    KINDS.put("route weight (VirtualService)", AdsLoadClient.Type.RDS);
    KINDS.put("DestinationRule changed", AdsLoadClient.Type.CDS);
    KINDS.put("rolling update (100 endpoints)", AdsLoadClient.Type.EDS);
  }

  /** How long the clients must be quiet after the last ACK before a change is done, in ms. */
  private static final long QUIET_MS = 200;

  private CpScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      o.put(a.substring(0, eq), a.substring(eq + 1));
    }
    List<Integer> services = ints(o.getOrDefault("services", "100,1000"));
    int clients = Integer.parseInt(o.getOrDefault("clients", "100"));
    int jvms = Integer.parseInt(o.getOrDefault("jvms", "4"));
    int groups = Integer.parseInt(o.getOrDefault("groups", String.valueOf(Math.max(1,
        clients / 10))));
    int iterations = Integer.parseInt(o.getOrDefault("iterations", "5"));
    int port = Integer.parseInt(o.getOrDefault("port", "19200"));
    List<Integer> noDebounce = ints(o.getOrDefault("nodebounce", "100"));
    String cpHeap = o.getOrDefault("cpHeap", "1g");
    boolean jfr = Boolean.parseBoolean(o.getOrDefault("jfr", "false"));
    Path out = Path.of(o.getOrDefault("out", "benchmarks/target/cp-scale"));
    Files.createDirectories(out);

    ScaleReport report = new ScaleReport(clients, jvms, groups, iterations, cpHeap);
    Path summary = out.resolve("summary.md");
    String machine = io.inboard.benchmarks.Machine.describe();
    String command = io.inboard.benchmarks.Machine.command(CpScaleBenchmark.class.getName(),
        args);
    List<Boolean> debounce = new ArrayList<>();
    List<Integer> counts = new ArrayList<>(services);
    services.forEach(s -> debounce.add(true));
    counts.addAll(noDebounce);
    noDebounce.forEach(s -> debounce.add(false));
    for (int i = 0; i < counts.size(); i++) {
      // a port of its own for each control plane: the last one's may not be free yet
      Path recording = jfr ? out.resolve("cp-" + counts.get(i) + "-"
          + (debounce.get(i) ? "debounce" : "nodebounce") + ".jfr") : null;
      report.add(run(counts.get(i), clients, jvms, groups, iterations, port + i, cpHeap,
          debounce.get(i), recording));
      // written after each configuration, so that a failure later keeps what was measured
      Files.writeString(summary, report.render(machine, command));
    }
    System.out.println(Files.readString(summary));
  }

  private static ScaleReport.Config run(int services, int clients, int jvms, int groups,
      int iterations, int port, String cpHeap, boolean debounce, Path recording)
      throws Exception {
    System.err.printf("cp-scale: %d services, %d clients, debounce %s%n", services, clients,
        debounce ? "on" : "off");
    List<String> cpArgs = new ArrayList<>(List.of("-Xmx" + cpHeap, "-Xms256m"));
    if (!debounce) {
      cpArgs.add("-Dinboard.controlplane.debounceAfterMs=0");
    }
    if (recording != null) {
      cpArgs.add("-XX:StartFlightRecording=settings=profile,filename=" + recording);
    }
    AckLog log = new AckLog();
    long startNanos = System.nanoTime();
    try (ScaleProcess cp = new ScaleProcess(cpArgs, ScaleControlPlane.class,
        List.of(String.valueOf(port), String.valueOf(services)), CpScaleBenchmark::jvmLog)) {
      String ready = cp.reply(120);
      if (!ready.startsWith("ready ")) {
        throw new IllegalStateException("control plane: " + ready);
      }
      double loadSeconds = (System.nanoTime() - startNanos) / 1e9;
      ProcSample cpBefore = ProcSample.of(cp.pid());
      List<ScaleProcess> fleet = new ArrayList<>();
      try {
        long syncStart = ScaleControlPlane.micros();
        int per = (clients + jvms - 1) / jvms;
        for (int j = 0; j < jvms && j * per < clients; j++) {
          int count = Math.min(per, clients - j * per);
          fleet.add(new ScaleProcess(List.of("-Xmx256m", "-Xss512k"), AdsLoadClients.class,
              List.of("127.0.0.1:" + port, String.valueOf(j * per), String.valueOf(count),
                  String.valueOf(services), String.valueOf(groups)), log::accept));
        }
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (log.syncedJvms() < fleet.size()) {
          failIfAny(log);
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("clients not synced within 180 s");
          }
          LockSupport.parkNanos(5_000_000);
        }
        List<AckLog.Response> initial = log.since(0);
        long syncMicros = initial.stream().mapToLong(AckLog.Response::ackedMicros).max()
            .orElse(syncStart) - syncStart;
        long fullBytes = initial.stream().mapToLong(AckLog.Response::bytes).sum();
        awaitQuiet(log);
        double syncCpu = ProcSample.of(cp.pid()).cpuSecondsSince(cpBefore);
        long heapSynced = heap(cp);
        List<ChangeRun> runs = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, AdsLoadClient.Type> kind : KINDS.entrySet()) {
          for (int i = 0; i < iterations; i++) {
            runs.add(change(cp, log, kind.getKey(), kind.getValue(), command(k, i), clients));
          }
          k++;
        }
        long heapAfter = heap(cp);
        ProcSample end = ProcSample.of(cp.pid());
        return new ScaleReport.Config(services, debounce, loadSeconds, syncMicros, fullBytes,
            syncCpu, heapSynced, heapAfter, end.hwmKb(), end.threads(), runs);
      } finally {
        for (ScaleProcess p : fleet) {
          p.close();
        }
      }
    }
  }

  /** The command making the {@code i}-th change of kind number {@code k}. */
  private static String command(int k, int i) {
    return switch (k) {
      case 0 -> "endpoint " + i;
      case 1 -> "weight " + (i % 2 == 0 ? 80 : 50);
      case 2 -> "rule " + (1001 + i);
      default -> "rolling " + (i + 1);
    };
  }

  private static ChangeRun change(ScaleProcess cp, AckLog log, String kind,
      AdsLoadClient.Type type, String command, int clients) throws Exception {
    int from = log.size();
    ProcSample before = ProcSample.of(cp.pid());
    cp.send(command);
    String reply = cp.reply(60);
    if (!reply.startsWith("changed ")) {
      throw new IllegalStateException(command + ": " + reply);
    }
    long t0 = Long.parseLong(reply.substring("changed ".length()));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (AckLog.firstOf(log.since(from), type).size() < clients) {
      failIfAny(log);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(kind + ": " + AckLog.firstOf(log.since(from), type)
            .size() + " of " + clients + " clients ACKed " + type + " within 60 s");
      }
      LockSupport.parkNanos(1_000_000);
    }
    awaitQuiet(log);
    double cpu = ProcSample.of(cp.pid()).cpuSecondsSince(before);
    List<AckLog.Response> rs = log.since(from);
    List<Long> acks = AckLog.firstOf(rs, type).values().stream()
        .map(r -> r.ackedMicros() - t0).sorted().toList();
    return new ChangeRun(kind, acks.get(acks.size() - 1), acks,
        rs.stream().mapToLong(AckLog.Response::bytes).sum(), AckLog.countByType(rs), cpu);
  }

  /** Waits until no response has come for {@link #QUIET_MS}. */
  private static void awaitQuiet(AckLog log) {
    int seen = -1;
    while (seen != log.size()) {
      seen = log.size();
      LockSupport.parkNanos(QUIET_MS * 1_000_000);
    }
  }

  private static long heap(ScaleProcess cp) throws InterruptedException {
    cp.send("heap");
    String reply = cp.reply(60);
    if (!reply.startsWith("heap ")) {
      throw new IllegalStateException("heap: " + reply);
    }
    return Long.parseLong(reply.substring("heap ".length()));
  }

  /** Passes the JVM's own log lines (JFR's, {@code [1.5s][info][jfr]...}) on to stderr. */
  private static boolean jvmLog(String line) {
    if (line.startsWith("[")) {
      System.err.println(line);
      return true;
    }
    return false;
  }

  private static void failIfAny(AckLog log) {
    if (!log.failures().isEmpty()) {
      throw new IllegalStateException("client streams failed: " + log.failures());
    }
  }

  private static List<Integer> ints(String csv) {
    return csv.isBlank() ? List.of() : java.util.Arrays.stream(csv.split(","))
        .map(String::trim).map(Integer::parseInt).toList();
  }
}
