package io.inboard.benchmarks.peak;

import io.inboard.benchmarks.http.OpenLoop;
import io.inboard.benchmarks.http.ProcSample;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed loop at fixed concurrency: {@code concurrency} lanes, each sending its next call as
 * soon as its previous one completes, on the thread that completed it (no hand-off, so the
 * loop adds no thread switch of its own). What it measures is the most calls a second the path
 * completes with that many in flight, and the CPU every process spends on them.
 *
 * <p>The first {@code warmupSeconds} run unrecorded; then completions, service times (send to
 * completion) and process CPU ({@link ProcSample}) are counted for {@code durationSeconds}.
 * Lanes then stop sending, and the loop waits (up to 10 s) for calls still in flight.
 */
final class ClosedLoop {

  private final OpenLoop.Call call;
  private final Recorder service = new Recorder(3);
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong err = new AtomicLong();
  private final AtomicLong firstError = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean recording;
  private volatile String errorSample;
  private final CountDownLatch stopped;

  private ClosedLoop(OpenLoop.Call call, int concurrency) {
    this.call = call;
    this.stopped = new CountDownLatch(concurrency);
  }

  /**
   * Runs {@code concurrency} lanes through {@code call}; {@code pids} names the other processes
   * charged with this run (servers, proxies), this one is added as {@code client}.
   *
   * @return the run's figures as ordered {@code key -> value} pairs
   */
  static Map<String, String> run(OpenLoop.Call call, int concurrency, int warmupSeconds,
      int durationSeconds, Map<String, Long> pids) throws InterruptedException {
    ClosedLoop loop = new ClosedLoop(call, concurrency);
    for (int i = 0; i < concurrency; i++) {
      loop.next();
    }
    Thread.sleep(warmupSeconds * 1000L);
    Map<String, Long> procs = new LinkedHashMap<>(pids);
    procs.put("client", ProcessHandle.current().pid());
    Map<String, ProcSample> before = new LinkedHashMap<>();
    procs.forEach((k, pid) -> before.put(k, ProcSample.of(pid)));
    loop.service.reset();
    loop.recording = true;
    long t0 = System.nanoTime();
    Thread.sleep(durationSeconds * 1000L);
    loop.recording = false;
    long t1 = System.nanoTime();
    Map<String, ProcSample> after = new LinkedHashMap<>();
    procs.forEach((k, pid) -> after.put(k, ProcSample.of(pid)));
    Histogram h = loop.service.getIntervalHistogram();
    loop.running = false;
    boolean drained = loop.stopped.await(10, TimeUnit.SECONDS);

    double wall = (t1 - t0) / 1e9;
    long done = loop.ok.get() + loop.err.get();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("concurrency", Integer.toString(concurrency));
    out.put("warmup_s", Integer.toString(warmupSeconds));
    out.put("duration_s", fmt("%.2f", wall));
    out.put("ok", Long.toString(loop.ok.get()));
    out.put("err", Long.toString(loop.err.get()));
    out.put("calls_per_s", fmt("%.1f", loop.ok.get() / wall));
    out.put("svc_p50_ms", fmt("%.4f", h.getValueAtPercentile(50) / 1e6));
    out.put("svc_p99_ms", fmt("%.4f", h.getValueAtPercentile(99) / 1e6));
    out.put("svc_mean_ms", fmt("%.4f", h.getMean() / 1e6));
    for (String k : procs.keySet()) {
      double cpu = after.get(k).cpuSecondsSince(before.get(k));
      out.put("cpu_" + k + "_s", fmt("%.2f", cpu));
      out.put("cpu_" + k + "_per1k", fmt("%.4f", done == 0 ? Double.NaN : cpu / done * 1000));
    }
    out.put("threads_end", Integer.toString(after.get("client").threads()));
    out.put("drained", Boolean.toString(drained));
    if (loop.errorSample != null) {
      out.put("err_sample", loop.errorSample);
    }
    return out;
  }

  /**
   * Sends this lane's next call. A call that completes at once (a failure before the network)
   * is handled in this loop rather than by recursion, so a failing path cannot overflow the
   * stack.
   */
  private void next() {
    while (running) {
      long sent = System.nanoTime();
      CompletableFuture<Integer> f;
      try {
        f = call.call();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      if (!f.isDone()) {
        f.whenComplete((r, t) -> {
          completed(sent, t);
          next();
        });
        return;
      }
      Throwable failure = null;
      try {
        f.join();
      } catch (RuntimeException e) {
        failure = e;
      }
      completed(sent, failure);
    }
    stopped.countDown();
  }

  private void completed(long sent, Throwable t) {
    if (!recording) {
      return;
    }
    if (t == null) {
      service.recordValue(System.nanoTime() - sent);
      ok.incrementAndGet();
    } else {
      err.incrementAndGet();
      if (firstError.compareAndSet(0, 1)) {
        Throwable c = t.getCause() != null ? t.getCause() : t;
        errorSample = c.toString().replaceAll("\\s+", "_");
      }
    }
  }

  private static String fmt(String format, double v) {
    return String.format(Locale.ROOT, format, v);
  }
}
