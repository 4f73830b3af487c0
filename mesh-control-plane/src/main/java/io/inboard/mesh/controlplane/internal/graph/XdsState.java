package io.inboard.mesh.controlplane.internal.graph;

import io.inboard.mesh.controlplane.Nack;
import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.XdsTypeStatus;
import java.util.List;

/**
 * A workload's xDS state in one word, for the graph: {@code NACK} when it rejected the config
 * it was last sent of some type, {@code ACK} when it holds what it was last sent of every type,
 * {@code PENDING} otherwise (sent, not answered yet).
 *
 * @param lastNack the message of its newest NACK of a rejected current config, or {@code ""}
 */
record XdsState(String state, int nacks, String lastNack) {

  static XdsState of(WorkloadStatus w) {
    String rejected = "";
    boolean allInSync = !w.xds().isEmpty();
    for (XdsTypeStatus t : w.xds().values()) {
      allInSync &= t.inSync();
      List<Nack> nacks = t.nacks();
      if (!t.inSync() && !nacks.isEmpty()) {
        Nack last = nacks.get(nacks.size() - 1);
        if (last.version().equals(t.sentVersion()) || last.version().equals("?")) {
          rejected = last.message();
        }
      }
    }
    String state = !rejected.isEmpty() ? "NACK" : allInSync ? "ACK" : "PENDING";
    return new XdsState(state, w.nacks().size(), rejected);
  }
}
