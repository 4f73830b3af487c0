package io.inboard.benchmarks;

import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.XdsTypeStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows one change from the control plane's side: which of the watched clients have ACKed a
 * version other than their {@code baseline} of the changed type, and when each then held every
 * type with nothing sent and not yet ACKed, as first seen. Each type has its own version, and a
 * change re-sends only the types it changed. Each change is made only once every client holds
 * {@code baseline}, so any other ACKed version is the change's. This needs neither the version the
 * change produced (the public API does not return it) nor the version format (opaque to clients,
 * and being changed).
 */
final class AckProgress {
  private final Set<String> nodeIds;
  private final XdsType changed;
  private final Map<String, Map<XdsType, String>> baseline;
  private final Map<String, Long> changedAckedAt = new HashMap<>();
  private final Map<String, Long> allTypesAckedAt = new HashMap<>();

  AckProgress(Set<String> nodeIds, XdsType changed,
      Map<String, Map<XdsType, String>> baseline) {
    this.nodeIds = Set.copyOf(nodeIds);
    this.changed = changed;
    this.baseline = baseline;
  }

  /** Records what {@code workloads} show at {@code nowNanos}; returns whether all is ACKed. */
  boolean observe(List<WorkloadStatus> workloads, long nowNanos) {
    for (WorkloadStatus w : workloads) {
      if (!nodeIds.contains(w.nodeId()) || allTypesAckedAt.containsKey(w.nodeId())) {
        continue;
      }
      if (!changedAckedAt.containsKey(w.nodeId()) && newer(w, changed)) {
        changedAckedAt.put(w.nodeId(), nowNanos);
      }
      boolean all = changedAckedAt.containsKey(w.nodeId());
      for (XdsType t : XdsType.values()) {
        XdsTypeStatus s = w.xds().get(t.typeUrl);
        all &= s != null && s.inSync();
      }
      if (all) {
        allTypesAckedAt.put(w.nodeId(), nowNanos);
      }
    }
    return allTypesAckedAt.size() == nodeIds.size();
  }

  /** When the first client was seen to ACK the changed type. */
  long firstChangedAck() {
    return changedAckedAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
  }

  /** When the last client was seen to ACK the changed type. */
  long allChangedAcked() {
    return changedAckedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
  }

  /** When the last client was seen to hold all four types, none waiting for an ACK. */
  long allTypesAcked() {
    return allTypesAckedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
  }

  /** Which clients have not ACKed everything yet, for the timeout message. */
  String missing() {
    return nodeIds.stream().filter(id -> !allTypesAckedAt.containsKey(id)).sorted().toList()
        + " have not ACKed a new " + changed + " version and every type";
  }

  private boolean newer(WorkloadStatus w, XdsType t) {
    XdsTypeStatus s = w.xds().get(t.typeUrl);
    return s != null && !s.ackedVersion().isEmpty()
        && !s.ackedVersion().equals(baseline.getOrDefault(w.nodeId(), Map.of()).get(t));
  }
}
