package io.inboard.mesh.controlplane.internal.source;

import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.ads.WorkloadMetadata;
import io.inboard.mesh.controlplane.internal.ads.WorkloadTracker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns workloads that connect over ADS into endpoints of the service they announce, and
 * removes them a grace period after their last stream closes. The grace period rides out
 * reconnects (a control-plane failover, a stream reset): a node back within it changes nothing.
 * Everything runs on one thread, so connects and disconnects of a node apply in order.
 */
public final class AutoRegistration implements WorkloadTracker.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AutoRegistration.class);

  /** Replaces endpoints in the served config: removes the first list, adds the second. */
  public interface Endpoints {
    void replace(List<ServiceEndpoint> remove, List<ServiceEndpoint> add);
  }

  private final WorkloadTracker tracker;
  private final Endpoints endpoints;
  private final Duration grace;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "inboard-auto-registration");
        t.setDaemon(true);
        return t;
      });
  // touched only on the executor's thread
  private final Map<String, List<ServiceEndpoint>> registered = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> removals = new HashMap<>();

  public AutoRegistration(WorkloadTracker tracker, Endpoints endpoints, Duration grace) {
    this.tracker = tracker;
    this.endpoints = endpoints;
    this.grace = grace;
    tracker.listener(this);
  }

  @Override
  public void connected(String nodeId, WorkloadMetadata metadata) {
    run(() -> {
      ScheduledFuture<?> pending = removals.remove(nodeId);
      if (pending != null) {
        pending.cancel(false);
      }
      if (!metadata.problems().isEmpty()) {
        log.warn("node {} metadata not used: {}", nodeId, metadata.problems());
      }
      List<ServiceEndpoint> now = metadata.endpoints();
      List<ServiceEndpoint> before = registered.getOrDefault(nodeId, List.of());
      if (!now.equals(before)) {
        endpoints.replace(before.stream().filter(e -> !now.contains(e)).toList(), now);
        registered.put(nodeId, now);
        log.info("node {} registered as {}", nodeId, now);
      }
    });
  }

  @Override
  public void disconnected(String nodeId) {
    run(() -> removals.put(nodeId, executor.schedule(() -> {
      removals.remove(nodeId);
      // a stream that opened after the disconnect wins; its connect task cancelled this one
      // unless it raced with it, which forgetIfDisconnected settles
      if (tracker.forgetIfDisconnected(nodeId)) {
        List<ServiceEndpoint> gone = registered.remove(nodeId);
        if (gone != null && !gone.isEmpty()) {
          endpoints.replace(gone, List.of());
          log.info("node {} gone for {}; removed {}", nodeId, grace, gone);
        }
      }
    }, grace.toMillis(), TimeUnit.MILLISECONDS)));
  }

  private void run(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: streams that end while the control plane shuts down change nothing
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
