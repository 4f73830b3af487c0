package io.inboard.benchmarks;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.XdsTypeStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Times changes by polling the control plane's per-workload ACK state ({@link
 * ControlPlane#workloads()}, what {@code inboardctl config-dump} shows). The control plane has no
 * ACK callback in its public API, so polling it is; the poll interval bounds the resolution (each
 * time is late by up to one interval plus one read of the state).
 *
 * <p>The change runs on a thread of its own while this one polls: {@code apply} pushes to every
 * stream before it returns, and clients may ACK before it does.
 */
final class AckWatcher implements AutoCloseable {
  private final ControlPlane cp;
  private final Duration poll;
  private final Duration timeout;
  private final com.sun.management.OperatingSystemMXBean processCpu =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  /** Written by the changer thread before the change; read after its future completes. */
  private volatile long cpuAtStart;
  private final ExecutorService changer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "bench-changer");
    t.setDaemon(true);
    return t;
  });

  AckWatcher(ControlPlane cp, Duration poll, Duration timeout) {
    this.cp = cp;
    this.poll = poll;
    this.timeout = timeout;
  }

  /**
   * Waits until every client in {@code nodeIds} holds all four types at one version, with nothing
   * sent and not yet ACKed, and returns that version.
   */
  String awaitInSync(Set<String> nodeIds) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String v = syncedVersion(cp.workloads(), nodeIds);
      if (v != null) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("clients not in sync within " + timeout + ": "
            + cp.workloads().stream().filter(w -> nodeIds.contains(w.nodeId()))
                .map(w -> w.nodeId() + " " + w.xds().values() + " nacks " + w.nacks()).toList());
      }
      LockSupport.parkNanos(poll.toNanos());
    }
  }

  /**
   * Makes {@code change} on the changer thread and times it until every client in {@code
   * nodeIds} has ACKed a version other than {@code baseline} of {@code kind}'s type and of every type.
   */
  Sample measure(ChangeKind kind, Runnable change, Set<String> nodeIds, String baseline,
      int round) throws InterruptedException {
    AckProgress progress = new AckProgress(nodeIds, kind.type, baseline);
    Future<long[]> publish = changer.submit(() -> {
      cpuAtStart = processCpu.getProcessCpuTime();
      long start = System.nanoTime();
      change.run();
      return new long[] {start, System.nanoTime()};
    });
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!progress.observe(cp.workloads(), System.nanoTime())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(kind + " change not ACKed within " + timeout + ": "
            + progress.missing());
      }
      LockSupport.parkNanos(poll.toNanos());
    }
    long cpuAtEnd = processCpu.getProcessCpuTime();
    long[] t;
    try {
      t = publish.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(kind + " change failed", e);
    }
    long start = t[0];
    return new Sample(kind, nodeIds.size(), round, t[1] - start,
        progress.firstChangedAck() - start, progress.allChangedAcked() - start,
        progress.allTypesAcked() - start, cpuAtEnd - cpuAtStart);
  }

  /** The version every client holds of every type, or null while they differ or wait. */
  private static String syncedVersion(List<WorkloadStatus> workloads, Set<String> nodeIds) {
    String version = null;
    int seen = 0;
    for (WorkloadStatus w : workloads) {
      if (!nodeIds.contains(w.nodeId())) {
        continue;
      }
      if (!w.connected()) {
        return null;
      }
      for (XdsType t : XdsType.values()) {
        XdsTypeStatus s = w.xds().get(t.typeUrl);
        if (s == null || !s.inSync() || (version != null && !version.equals(s.ackedVersion()))) {
          return null;
        }
        version = s.ackedVersion();
      }
      seen++;
    }
    return seen == nodeIds.size() ? version : null;
  }

  @Override
  public void close() {
    changer.shutdownNow();
  }
}
