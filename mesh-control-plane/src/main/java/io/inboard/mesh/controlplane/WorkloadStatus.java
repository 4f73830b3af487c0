package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workload known to the control plane because it connected over ADS, with what it announced
 * in its node metadata (see {@link ControlPlane} for the keys) and its ACK/NACK state.
 *
 * @param nodeId the xDS node id
 * @param namespace {@code NAMESPACE}, or the control plane's default namespace
 * @param name {@code WORKLOAD_NAME}, or {@code ""}
 * @param serviceAccount {@code SERVICE_ACCOUNT}, or {@code ""}
 * @param labels {@code LABELS}
 * @param address the first of {@code INSTANCE_IPS}, or {@code ""}
 * @param service the fully qualified service it serves, or {@code ""} for a pure client
 * @param ports {@code INBOARD_PORTS}: port name to number
 * @param endpoints the endpoints registered for it (empty for a pure client, and once removed)
 * @param connectedSince when its first open stream began
 * @param disconnectedAt when its last stream closed; empty while connected
 * @param xds per type URL, what it was sent and has ACKed or NACKed
 * @param problems node metadata that could not be used, as {@code KEY: value (expected: ...)}
 */
public record WorkloadStatus(String nodeId, String namespace, String name, String serviceAccount,
    Map<String, String> labels, String address, String service, Map<String, Integer> ports,
    List<ServiceEndpoint> endpoints, Instant connectedSince, Optional<Instant> disconnectedAt,
    Map<String, XdsTypeStatus> xds, List<String> problems) {
  public WorkloadStatus {
    requireNonNull(nodeId, "nodeId");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(serviceAccount, "serviceAccount");
    labels = Map.copyOf(labels);
    requireNonNull(address, "address");
    requireNonNull(service, "service");
    ports = Map.copyOf(ports);
    endpoints = List.copyOf(endpoints);
    requireNonNull(connectedSince, "connectedSince");
    requireNonNull(disconnectedAt, "disconnectedAt");
    xds = Map.copyOf(xds);
    problems = List.copyOf(problems);
  }

  /** Whether at least one of its ADS streams is open. */
  public boolean connected() {
    return disconnectedAt.isEmpty();
  }

  /** Every NACK of every type, oldest first. */
  public List<Nack> nacks() {
    return xds.values().stream().flatMap(t -> t.nacks().stream())
        .sorted(java.util.Comparator.comparing(Nack::at)).toList();
  }
}
