package io.inboard.mesh.telemetry.internal.health;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.telemetry.EnvoyStats;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@link EnvoyStats#XDS_RESOURCES}: at each scrape, counts the resources in the xDS sections of
 * the mesh's config dump. A section counts when it has the shape of {@code XdsResourceDump}:
 * type URL ({@code type.googleapis.com/...}) to resource name to an entry with a
 * {@code status}; other sections are skipped.
 */
public final class XdsResourceGauges {

  static final AttributeKey<String> TYPE = AttributeKey.stringKey("type");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
  /** Printed for every type seen, zero included, so that alerts on NACKs have a series. */
  static final List<String> STATES = List.of("acked", "nacked", "requested", "does_not_exist");

  private static final String TYPE_URL_PREFIX = "type.googleapis.com/";
  // XdsResourceDump's key (mesh-telemetry does not depend on mesh-xds)
  static final String CONNECTIONS = "control_plane_connections";

  private XdsResourceGauges() {}

  /** Registers the gauge on {@code meter}, reading {@code mesh}'s sections when collected. */
  public static void register(Meter meter, Mesh mesh) {
    meter.gaugeBuilder(EnvoyStats.XDS_RESOURCES).ofLongs()
        .setDescription("Subscribed xDS resources by type and state (ACK/NACK)")
        .buildWithCallback(m -> {
          Map<String, Supplier<?>> sections;
          try {
            sections = InternalMesh.configDumpSections(mesh);
          } catch (RuntimeException e) {
            return; // a closed mesh has no sections to count
          }
          count(sections).forEach((type, byState) -> byState.forEach((state, n) ->
              m.record(n, Attributes.of(TYPE, type, STATE, state))));
        });
    meter.gaugeBuilder(EnvoyStats.CONTROL_PLANE_CONNECTED_STATE).ofLongs()
        .setDescription("1 while every xDS stream to the control plane is up, else 0")
        .buildWithCallback(m -> {
          try {
            Boolean connected = connected(InternalMesh.configDumpSections(mesh));
            if (connected != null) {
              m.record(connected ? 1 : 0);
            }
          } catch (RuntimeException e) {
            // a closed mesh has no xDS clients
          }
        });
  }

  /**
   * Whether every control-plane stream the sections report is up; {@code null} when no
   * section reports one (the workload runs no xDS client).
   */
  static Boolean connected(Map<String, Supplier<?>> sections) {
    Boolean all = null;
    for (Supplier<?> section : sections.values()) {
      Object dump;
      try {
        dump = section.get();
      } catch (RuntimeException e) {
        continue;
      }
      if (dump instanceof Map<?, ?> m && m.get(CONNECTIONS) instanceof Map<?, ?> servers) {
        for (Object up : servers.values()) {
          all = (all == null || all) && Boolean.TRUE.equals(up);
        }
      }
    }
    return all;
  }

  /** Per short type name, per state, the number of distinct resources. */
  static Map<String, Map<String, Long>> count(Map<String, Supplier<?>> sections) {
    Set<List<String>> seen = new HashSet<>();
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (Supplier<?> section : sections.values()) {
      Object dump;
      try {
        dump = section.get();
      } catch (RuntimeException e) {
        continue; // the config dump shows that section's error
      }
      if (!(dump instanceof Map<?, ?> byType)) {
        continue;
      }
      byType.forEach((typeUrl, resources) -> {
        if (!(typeUrl instanceof String url) || !url.startsWith(TYPE_URL_PREFIX)
            || !(resources instanceof Map<?, ?> byName)) {
          return;
        }
        String type = shortType(url);
        Map<String, Long> byState = counts.computeIfAbsent(type, t -> {
          Map<String, Long> m = new TreeMap<>();
          STATES.forEach(s -> m.put(s, 0L));
          return m;
        });
        byName.forEach((name, entry) -> {
          if (entry instanceof Map<?, ?> e && e.get("status") instanceof String status) {
            String state = status.toLowerCase(Locale.ROOT);
            if (seen.add(List.of(url, String.valueOf(name), state))) {
              byState.merge(state, 1L, Long::sum);
            }
          }
        });
      });
    }
    return counts;
  }

  /** Envoy's short names for the four xDS types, else the message's lower-case simple name. */
  static String shortType(String typeUrl) {
    String message = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
    return switch (message) {
      case "envoy.config.listener.v3.Listener" -> "listener";
      case "envoy.config.route.v3.RouteConfiguration" -> "route";
      case "envoy.config.cluster.v3.Cluster" -> "cluster";
      case "envoy.config.endpoint.v3.ClusterLoadAssignment" -> "endpoint";
      default -> message.substring(message.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    };
  }
}
