package io.inboard.mesh.telemetry.internal;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What {@code /debug/config_dump} shows: the workload's own settings, what it propagates, and
 * every section a data plane added with {@link InternalMesh#configDumpSection} (such as the xDS
 * resources it holds). Nothing else is claimed: control-plane policy shows only through a
 * section that holds it.
 */
final class ConfigDump {

  private ConfigDump() {}

  static Map<String, Object> of(Mesh mesh) {
    Mesh.Settings s = mesh.settings();
    Map<String, Object> workload = new LinkedHashMap<>();
    workload.put("name", s.workloadName());
    workload.put("namespace", s.namespace());
    workload.put("labels", new TreeMap<>(s.labels()));
    workload.put("service_account", s.serviceAccount());
    workload.put("cluster_domain", s.clusterDomain());
    workload.put("instance_ips", s.instanceIps());
    workload.put("serves", s.serves().map(sv -> (Object) Map.of(
        "service", sv.name(), "ports", new TreeMap<>(sv.ports()))).orElse(null));
    Map<String, Object> dump = new LinkedHashMap<>();
    dump.put("workload", workload);
    dump.put("discovery", Map.of("mode", s.discoveryMode().name(),
        "control_planes", s.controlPlanes(),
        "initial_config_timeout_ms", s.initialConfigTimeout().toMillis()));
    dump.put("propagated_headers", InternalMesh.propagation(mesh).headers());
    dump.put("inbound_guards", InternalMesh.inboundGuards(mesh).size());
    Map<String, Object> sections = new TreeMap<>();
    for (Map.Entry<String, Supplier<?>> e : InternalMesh.configDumpSections(mesh).entrySet()) {
      sections.put(e.getKey(), section(e.getValue()));
    }
    dump.put("sections", sections);
    return dump;
  }

  private static Object section(Supplier<?> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      // One broken section must not hide the rest of the dump.
      return Map.of("error", e.toString());
    }
  }
}
