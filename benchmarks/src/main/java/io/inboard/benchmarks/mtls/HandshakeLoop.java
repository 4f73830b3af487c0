package io.inboard.benchmarks.mtls;

import io.inboard.benchmarks.http.OpenLoop;
import io.inboard.benchmarks.http.ProcSample;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A closed loop for new connections: {@code connectors} threads each send one request, wait for
 * its response, and send the next, as fast as they can. The paths are built with {@code close},
 * so the server closes every connection after its response and each request pays for a new
 * connection (TCP, and the TLS handshake where there is one). The first {@code warmup} seconds
 * are not recorded. Reported: connections (requests) per second, per-request latency, and CPU
 * per 1000 connections of this JVM and of {@code pids}.
 */
final class HandshakeLoop {

  private HandshakeLoop() {}

  static Map<String, String> run(OpenLoop.Call call, int connectors, int warmupSeconds,
      int durationSeconds, Map<String, Long> pids) throws InterruptedException {
    Map<String, Long> procs = new LinkedHashMap<>(pids);
    procs.put("client", ProcessHandle.current().pid());
    Recorder latency = new Recorder(3);
    AtomicLong ok = new AtomicLong();
    AtomicLong err = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Set<String> errSamples = ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[connectors];
    for (int i = 0; i < connectors; i++) {
      threads[i] = new Thread(() -> {
        while (!stop.get()) {
          long t0 = System.nanoTime();
          try {
            int len = call.call().get(10, TimeUnit.SECONDS);
            latency.recordValue(System.nanoTime() - t0);
            if (len > 0) {
              ok.incrementAndGet();
            }
          } catch (Exception e) {
            err.incrementAndGet();
            if (errSamples.size() < 5) {
              errSamples.add(String.valueOf(e.getCause() != null ? e.getCause() : e));
            }
          }
        }
      }, "connector-" + i);
      threads[i].start();
    }
    Thread.sleep(warmupSeconds * 1000L);
    Map<String, ProcSample> before = sample(procs);
    latency.reset();
    long ok0 = ok.get();
    long err0 = err.get();
    long t0 = System.nanoTime();
    Thread.sleep(durationSeconds * 1000L);
    long done = ok.get() - ok0;
    long failed = err.get() - err0;
    long t1 = System.nanoTime();
    Map<String, ProcSample> after = sample(procs);
    var h = latency.getIntervalHistogram();
    stop.set(true);
    for (Thread t : threads) {
      t.join(15_000);
    }

    double wall = (t1 - t0) / 1e9;
    Map<String, String> out = new LinkedHashMap<>();
    out.put("connectors", Integer.toString(connectors));
    out.put("warmup_s", Integer.toString(warmupSeconds));
    out.put("duration_s", Integer.toString(durationSeconds));
    out.put("ok", Long.toString(done));
    out.put("err", Long.toString(failed));
    out.put("conn_per_s", fmt("%.1f", done / wall));
    out.put("lat_p50_ms", fmt("%.4f", h.getValueAtPercentile(50) / 1e6));
    out.put("lat_p99_ms", fmt("%.4f", h.getValueAtPercentile(99) / 1e6));
    for (Map.Entry<String, Long> p : procs.entrySet()) {
      double cpu = after.get(p.getKey()).cpuSecondsSince(before.get(p.getKey()));
      out.put("cpu_" + p.getKey() + "_s", fmt("%.2f", cpu));
      out.put("cpu_" + p.getKey() + "_per1k", fmt("%.4f", done == 0 ? Double.NaN
          : cpu / done * 1000));
    }
    if (!errSamples.isEmpty()) {
      out.put("err_samples", String.join(" | ", errSamples));
    }
    return out;
  }

  private static Map<String, ProcSample> sample(Map<String, Long> procs) {
    Map<String, ProcSample> m = new LinkedHashMap<>();
    procs.forEach((k, pid) -> m.put(k, ProcSample.of(pid)));
    return m;
  }

  private static String fmt(String format, double v) {
    return String.format(Locale.ROOT, format, v);
  }
}
