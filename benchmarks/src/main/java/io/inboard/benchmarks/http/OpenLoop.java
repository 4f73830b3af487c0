package io.inboard.benchmarks.http;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The anchor's open-loop generator ({@code ../shared/bench-anchor/.../OpenLoop.java}) with the
 * HTTP client taken out, so that every path is driven by the same loop.
 *
 * <p>Requests are due at a fixed rate. Latency runs from a request's <em>intended</em> send
 * time to its completion, so a stall delays the clock of every request behind it (no
 * coordinated omission). At most {@code conns} requests are in flight; time spent waiting for a
 * slot counts as latency. The first {@code warmup} seconds are sent but not recorded. Process
 * counters ({@link ProcSample}) are read at the start and end of the recorded part.
 */
public final class OpenLoop {

  /** Sends one HTTP request; the harness builds one per path. */
  @FunctionalInterface
  public interface Caller {
    CompletableFuture<HttpResponse<byte[]>> call();
  }

  /**
   * Sends one request of any protocol (the gRPC paths of the mTLS benchmark); completes with the
   * response body's length, or exceptionally when the call failed.
   */
  @FunctionalInterface
  public interface Call {
    CompletableFuture<Integer> call();
  }

  /** A request whose status was not 200: counted as an error, the status as its sample. */
  static final class BadStatus extends RuntimeException {
    BadStatus(int status) {
      super("status " + status, null, false, false);
    }
  }

  /**
   * @param rate requests per second
   * @param warmupSeconds unrecorded seconds first
   * @param durationSeconds recorded seconds
   * @param conns the most requests in flight
   * @param spinMicros how long before a send time the loop stops parking and spins
   * @param primeCalls calls made one after another before the open loop starts, so that class
   *     loading and the first compilations of a cold JVM do not build a backlog that the
   *     open-loop warm-up would still be working off when recording starts
   */
  public record Plan(int rate, int warmupSeconds, int durationSeconds, int conns, int spinMicros,
      int primeCalls) {}

  private OpenLoop() {}

  /**
   * Runs {@code plan} through {@code caller}. {@code pids} names the other processes whose CPU
   * is charged to this run (the echo server, proxies); this process is added as
   * {@code client}.
   *
   * @return the run's figures, as ordered {@code key -> value} pairs
   */
  static Map<String, String> run(Caller caller, Plan plan, Map<String, Long> pids)
      throws InterruptedException {
    return run(call(caller), plan, pids);
  }

  /**
   * {@code caller} as a {@link Call}: completes with the body's length, or exceptionally when
   * the status was not 200 (so other load shapes, such as the peak benchmark's closed loop, count
   * HTTP and gRPC calls alike).
   */
  public static Call call(Caller caller) {
    return () -> caller.call().thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new BadStatus(r.statusCode());
      }
      return r.body().length;
    });
  }

  /** As {@link #run(Caller, Plan, Map)}, for calls of any protocol. */
  public static Map<String, String> run(Call caller, Plan plan, Map<String, Long> pids)
      throws InterruptedException {
    Map<String, Long> procs = new LinkedHashMap<>(pids);
    procs.put("client", ProcessHandle.current().pid());
    ThreadMXBean threadsBean = ManagementFactory.getThreadMXBean();
    int threadsIdle = ProcSample.of(ProcessHandle.current().pid()).threads();
    prime(caller, plan.primeCalls());

    long intervalNs = 1_000_000_000L / plan.rate();
    long warmN = (long) plan.warmupSeconds() * plan.rate();
    long measN = (long) plan.durationSeconds() * plan.rate();
    long spinNs = plan.spinMicros() * 1000L;
    Recorder latency = new Recorder(3);  // completion - intended send (CO-corrected)
    Recorder service = new Recorder(3);  // completion - actual send
    Recorder late = new Recorder(3);     // actual send - intended (scheduling + slot wait)
    AtomicLong ok = new AtomicLong();
    AtomicLong err = new AtomicLong();
    AtomicLong badLen = new AtomicLong();
    CountDownLatch measuredDone = new CountDownLatch((int) measN);
    Semaphore slots = new Semaphore(plan.conns());
    Set<String> errSamples = ConcurrentHashMap.newKeySet();

    Map<String, ProcSample> before = null;
    long startedThreads0 = 0;
    int threadsStart = 0;
    long t0 = 0;
    long start = System.nanoTime() + 200_000_000L;
    for (long i = 0; i < warmN + measN; i++) {
      long intended = start + i * intervalNs;
      boolean measured = i >= warmN;
      if (i == warmN) {
        before = sample(procs);
        threadsStart = before.get("client").threads();
        startedThreads0 = threadsBean.getTotalStartedThreadCount();
        t0 = System.nanoTime();
        latency.reset();
        service.reset();
        late.reset();
        ok.set(0);
        err.set(0);
        badLen.set(0);
      }
      long now;
      while ((now = System.nanoTime()) < intended) {
        long d = intended - now;
        if (d > spinNs) {
          LockSupport.parkNanos(d - spinNs);
        } else {
          Thread.onSpinWait();
        }
      }
      slots.acquireUninterruptibly();
      long sent = System.nanoTime();
      if (measured) {
        late.recordValue(sent - intended);
      }
      CompletableFuture<Integer> f;
      try {
        f = caller.call();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((r, t) -> {
        long end = System.nanoTime();
        slots.release();
        if (t == null) {
          if (r != EchoServer.BODY_LEN) {
            badLen.incrementAndGet();
          }
          if (measured) {
            latency.recordValue(end - intended);
            service.recordValue(end - sent);
            ok.incrementAndGet();
          }
        } else {
          if (measured) {
            err.incrementAndGet();
          }
          if (errSamples.size() < 5) {
            Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                ? t.getCause() : t;
            errSamples.add(c instanceof BadStatus ? c.getMessage() : c.toString());
          }
        }
        if (measured) {
          measuredDone.countDown();
        }
      });
    }
    long sendEnd = System.nanoTime();
    boolean drained = measuredDone.await(15, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    Map<String, ProcSample> after = sample(procs);
    long startedDuring = threadsBean.getTotalStartedThreadCount() - startedThreads0;
    Histogram hl = latency.getIntervalHistogram();
    Histogram hs = service.getIntervalHistogram();
    Histogram hlate = late.getIntervalHistogram();

    double wall = (t1 - t0) / 1e9;
    long done = ok.get() + err.get();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("rate", Integer.toString(plan.rate()));
    out.put("warmup_s", Integer.toString(plan.warmupSeconds()));
    out.put("duration_s", Integer.toString(plan.durationSeconds()));
    out.put("conns", Integer.toString(plan.conns()));
    out.put("measured", Long.toString(measN));
    out.put("ok", Long.toString(ok.get()));
    out.put("err", Long.toString(err.get()));
    out.put("bad_len", Long.toString(badLen.get()));
    out.put("drained", Boolean.toString(drained));
    out.put("send_rate", fmt("%.1f", measN / ((sendEnd - t0) / 1e9)));
    out.put("wall_s", fmt("%.2f", wall));
    percentiles(out, "lat", hl);
    percentiles(out, "svc", hs);
    percentiles(out, "late", hlate);
    for (Map.Entry<String, Long> p : procs.entrySet()) {
      String k = p.getKey();
      ProcSample a = before.get(k);
      ProcSample b = after.get(k);
      double cpu = b.cpuSecondsSince(a);
      out.put("cpu_" + k + "_s", fmt("%.2f", cpu));
      out.put("cpu_" + k + "_per1k", fmt("%.4f", done == 0 ? Double.NaN : cpu / done * 1000));
      out.put("hwm_" + k + "_kb", Long.toString(b.hwmKb()));
    }
    out.put("threads_idle", Integer.toString(threadsIdle));
    out.put("threads_start", Integer.toString(threadsStart));
    out.put("threads_end", Integer.toString(after.get("client").threads()));
    out.put("threads_peak", Integer.toString(threadsBean.getPeakThreadCount()));
    out.put("threads_started_measured", Long.toString(startedDuring));
    if (!errSamples.isEmpty()) {
      out.put("err_samples", String.join(" | ", errSamples));
    }
    return out;
  }

  private static void prime(Call caller, int calls) {
    for (int i = 0; i < calls; i++) {
      try {
        caller.call().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A failure here shows up again, counted, in the recorded part.
      }
    }
  }

  private static Map<String, ProcSample> sample(Map<String, Long> procs) {
    Map<String, ProcSample> m = new LinkedHashMap<>();
    procs.forEach((k, pid) -> m.put(k, ProcSample.of(pid)));
    return m;
  }

  private static void percentiles(Map<String, String> out, String prefix, Histogram h) {
    out.put(prefix + "_p50_ms", ms(h.getValueAtPercentile(50)));
    out.put(prefix + "_p90_ms", ms(h.getValueAtPercentile(90)));
    out.put(prefix + "_p99_ms", ms(h.getValueAtPercentile(99)));
    out.put(prefix + "_p999_ms", ms(h.getValueAtPercentile(99.9)));
    out.put(prefix + "_max_ms", ms(h.getMaxValue()));
    out.put(prefix + "_mean_ms", fmt("%.4f", h.getMean() / 1e6));
  }

  private static String ms(long nanos) {
    return fmt("%.4f", nanos / 1e6);
  }

  private static String fmt(String format, double v) {
    return String.format(Locale.ROOT, format, v);
  }
}
