package io.inboard.mesh.telemetry.internal.health;

import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.telemetry.EnvoyStats;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * {@link MeshHealthMetrics} kept in plain counters and printed in Prometheus text format by
 * {@link #writeTo}, because Envoy's counter names (such as
 * {@code envoy_cluster_upstream_rq_retry}) carry no {@code _total}, which OpenTelemetry's
 * Prometheus exporter would add. Counting is one map lookup and a {@link LongAdder} increment;
 * gauges are read only when scraped.
 */
public final class EnvoyClusterStats implements MeshHealthMetrics {

  private final Map<Counter, ConcurrentHashMap<String, LongAdder>> counters =
      new EnumMap<>(Counter.class);
  private final Map<Gauge, ConcurrentHashMap<String, LongSupplier>> gauges =
      new EnumMap<>(Gauge.class);

  /** No counts and no gauges yet. */
  public EnvoyClusterStats() {
    for (Counter c : Counter.values()) {
      counters.put(c, new ConcurrentHashMap<>());
    }
    for (Gauge g : Gauge.values()) {
      gauges.put(g, new ConcurrentHashMap<>());
    }
  }

  @Override
  public void count(Counter counter, String cluster) {
    if (counter == null || cluster == null) {
      return; // never throws into a request
    }
    ConcurrentHashMap<String, LongAdder> byCluster = counters.get(counter);
    LongAdder n = byCluster.get(cluster);
    if (n == null) {
      n = byCluster.computeIfAbsent(cluster, k -> new LongAdder());
    }
    n.increment();
  }

  @Override
  public AutoCloseable gauge(Gauge gauge, String cluster, LongSupplier value) {
    if (gauge == null || cluster == null || value == null) {
      return () -> { };
    }
    ConcurrentHashMap<String, LongSupplier> byCluster = gauges.get(gauge);
    byCluster.put(cluster, value);
    // a later registration replaced this one: closing this handle leaves it alone
    return () -> byCluster.remove(cluster, value);
  }

  /** Appends every counter and gauge with a series, in Prometheus text format 0.0.4. */
  public void writeTo(StringBuilder out) {
    for (Counter c : Counter.values()) {
      Map<String, Long> values = new TreeMap<>();
      counters.get(c).forEach((cluster, n) -> values.put(cluster, n.sum()));
      write(out, c.stat(), "counter", values);
    }
    for (Gauge g : Gauge.values()) {
      Map<String, Long> values = new TreeMap<>();
      gauges.get(g).forEach((cluster, supplier) -> {
        try {
          values.put(cluster, supplier.getAsLong());
        } catch (RuntimeException e) {
          // a gauge that cannot be read is left out of this scrape, the others still show
        }
      });
      write(out, g.stat(), "gauge", values);
    }
  }

  private static void write(StringBuilder out, String stat, String type,
      Map<String, Long> values) {
    if (values.isEmpty()) {
      return;
    }
    String name = EnvoyStats.CLUSTER_PREFIX + stat;
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    values.forEach((cluster, v) -> {
      out.append(name).append('{').append(EnvoyStats.CLUSTER_NAME_LABEL).append("=\"");
      escape(out, cluster);
      out.append("\"} ").append(v).append('\n');
    });
  }

  /** Prometheus label-value escaping: backslash, double quote and line feed. */
  static void escape(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }
}
