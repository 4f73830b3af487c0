package io.inboard.mesh.controlplane.internal.graph;

import java.time.Duration;
import java.util.Set;

/** Where the graph's traffic comes from: the workloads' own metrics, or Prometheus. */
interface TrafficSource extends AutoCloseable {

  /**
   * The traffic of the last {@code window}, for the workloads of {@code namespaces} (a source
   * that sees every namespace at once may return more). May block for the source's timeouts;
   * never call it on the ADS path.
   */
  TrafficSnapshot traffic(Duration window, Set<String> namespaces);

  /** The longest window this source answers for. */
  Duration maxWindow();

  @Override
  void close();
}
