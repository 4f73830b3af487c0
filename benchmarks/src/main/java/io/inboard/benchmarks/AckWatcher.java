package io.inboard.benchmarks;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.XdsTypeStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
   * Waits until every client in {@code nodeIds} has ACKed all four types, with nothing sent and
   * not yet ACKed, and returns the versions each holds (node id, then type): each type has its
   * own version, which a change of another type leaves as it is.
   */
  Map<String, Map<XdsType, String>> awaitInSync(Set<String> nodeIds) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, Map<XdsType, String>> v = syncedVersions(cp.workloads(), nodeIds);
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
   * nodeIds} has ACKed a version other than {@code baseline} of {@code kind}'s type, and then
   * holds every type with nothing sent and not yet ACKed.
   */
  Sample measure(ChangeKind kind, Runnable change, Set<String> nodeIds,
      Map<String, Map<XdsType, String>> baseline,
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

  /** The versions every client holds of every type, or null while one waits for an ACK. */
  private static Map<String, Map<XdsType, String>> syncedVersions(List<WorkloadStatus> workloads,
      Set<String> nodeIds) {
    Map<String, Map<XdsType, String>> versions = new HashMap<>();
    for (WorkloadStatus w : workloads) {
      if (!nodeIds.contains(w.nodeId())) {
        continue;
      }
      if (!w.connected()) {
        return null;
      }
      Map<XdsType, String> held = new EnumMap<>(XdsType.class);
      for (XdsType t : XdsType.values()) {
        XdsTypeStatus s = w.xds().get(t.typeUrl);
        if (s == null || !s.inSync() || s.ackedVersion().isEmpty()) {
          return null;
        }
        held.put(t, s.ackedVersion());
      }
      versions.put(w.nodeId(), held);
    }
    return versions.size() == nodeIds.size() ? versions : null;
  }

  @Override
  public void close() {
    changer.shutdownNow();
  }
}
