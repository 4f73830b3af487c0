package io.inboard.mesh.http.internal.telemetry;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Counter;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Gauge;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What telemetry knows of one upstream cluster (a destination), computed when the destination
 * is built: Istio's cluster name ({@code outbound|<port>|<subset>|<fqdn>}), the
 * {@code destination_service} it reports, its health counters and its gauges.
 */
public final class ClusterStats {

  private static final Logger log = LoggerFactory.getLogger(ClusterStats.class);

  /** For destinations built without telemetry (tests of the resilience stage alone). */
  public static final ClusterStats NONE = new ClusterStats("", "unknown", MeshTelemetry.NONE);

  private final String name;
  private final String destinationService;
  private final MeshTelemetry telemetry;
  private final List<AutoCloseable> gauges = new ArrayList<>(3);

  /**
   * @param name Istio's cluster name
   * @param destinationService the service's FQDN, {@code reviews.default.svc.cluster.local}
   */
  public ClusterStats(String name, String destinationService, MeshTelemetry telemetry) {
    this.name = name;
    this.destinationService = destinationService;
    this.telemetry = telemetry;
  }

  /** Istio's name of the cluster a Kubernetes-mode destination for {@code service} stands for. */
  public static String kubernetesName(ServiceName service, String clusterDomain) {
    return "outbound|" + (service.port() == 0 ? 80 : service.port()) + "||"
        + service.withoutPort().fqdn(clusterDomain);
  }

  /** Istio's cluster name, such as {@code outbound|9080|v1|reviews.default.svc.cluster.local}. */
  public String name() {
    return name;
  }

  /** The {@code destination_service} of calls sent here. */
  public String destinationService() {
    return destinationService;
  }

  /** Adds one to {@code counter} for this cluster. */
  public void count(Counter counter) {
    MeshHealthMetrics h = telemetry.health();
    if (h != MeshHealthMetrics.NOOP) {
      h.count(counter, name);
    }
  }

  /** Reports {@code value} as {@code gauge} of this cluster until {@link #close}. */
  public synchronized void gauge(Gauge gauge, LongSupplier value) {
    MeshHealthMetrics h = telemetry.health();
    if (h != MeshHealthMetrics.NOOP) {
      gauges.add(h.gauge(gauge, name, value));
    }
  }

  /** Stops this cluster's gauges. Idempotent. */
  public synchronized void close() {
    for (AutoCloseable g : gauges) {
      try {
        g.close();
      } catch (Exception e) {
        log.debug("closing a gauge of {} failed", name, e);
      }
    }
    gauges.clear();
  }
}
