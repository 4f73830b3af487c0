package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.controlplane.internal.model.MtlsMode;
import io.inboard.mesh.controlplane.internal.model.ParsedResource.PeerAuthentication;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The PeerAuthentications in force, indexed once per configuration so that each workload's
 * modes are a lookup. Istio's rules ({@code policy_applier.go ComposePeerAuthentication}):
 *
 * <ul>
 *   <li>A policy without selector is mesh-wide in the root namespace and namespace-wide
 *       elsewhere; one with {@code selector.matchLabels} applies to the matching workloads of
 *       its namespace, and is ignored in the root namespace (the parser warns).
 *   <li>Within a scope the oldest policy wins (see {@link #PeerAuthentications(List, String)}
 *       for what oldest means); only one workload policy applies to a workload.
 *   <li>{@code UNSET} inherits: mesh → namespace → workload → port; nothing set is PERMISSIVE.
 * </ul>
 */
public final class PeerAuthentications {
  private final String rootNamespace;
  private final Optional<PeerAuthentication> mesh;
  private final Map<String, PeerAuthentication> namespaces = new HashMap<>();
  private final Map<String, List<PeerAuthentication>> workloads = new HashMap<>();

  /**
   * @param oldestFirst every PeerAuthentication, oldest first (as {@link
   *     io.inboard.mesh.controlplane.internal.model.MeshConfig#peerAuthentications} orders
   *     them), so the first of a scope wins
   * @param rootNamespace the namespace of mesh-wide policies ({@code istio-system})
   */
  public PeerAuthentications(List<PeerAuthentication> oldestFirst, String rootNamespace) {
    this.rootNamespace = rootNamespace;
    PeerAuthentication meshPolicy = null;
    Map<String, List<PeerAuthentication>> byNamespace = new TreeMap<>();
    for (PeerAuthentication pa : oldestFirst) {
      String ns = pa.id().namespace();
      if (pa.selector().isEmpty()) {
        if (ns.equals(rootNamespace)) {
          meshPolicy = meshPolicy == null ? pa : meshPolicy;
        } else {
          namespaces.putIfAbsent(ns, pa);
        }
      } else if (!ns.equals(rootNamespace)) {
        byNamespace.computeIfAbsent(ns, k -> new java.util.ArrayList<>()).add(pa);
      }
    }
    this.mesh = Optional.ofNullable(meshPolicy);
    byNamespace.forEach((ns, list) -> workloads.put(ns, List.copyOf(list)));
  }

  /** The root namespace these policies were read with. */
  public String rootNamespace() {
    return rootNamespace;
  }

  /**
   * The modes of a workload in {@code namespace} carrying {@code labels}: its own, and those of
   * the ports its policy names, all inherited and resolved.
   */
  public InboundModes forWorkload(String namespace, Map<String, String> labels) {
    MtlsMode mode = namespaceMode(namespace);
    Optional<PeerAuthentication> own = workloads.getOrDefault(namespace, List.of()).stream()
        .filter(pa -> labels.entrySet().containsAll(pa.selector().entrySet())).findFirst();
    if (own.isEmpty()) {
      return new InboundModes(mode, Map.of());
    }
    MtlsMode workload = own.get().mode().orElse(mode);
    Map<Integer, MtlsMode> ports = new TreeMap<>();
    own.get().portModes().forEach((port, m) -> ports.put(port, m.orElse(workload)));
    return new InboundModes(workload, ports);
  }

  /**
   * The mode auto-mTLS assumes for the services of {@code namespace}: from the mesh-wide and
   * namespace-wide policies only, as Istio's {@code BestEffortInferServiceMTLSMode}, since
   * workload policies differ by endpoint.
   */
  public MtlsMode namespaceMode(String namespace) {
    MtlsMode meshMode = mesh.map(PeerAuthentication::mode).orElse(MtlsMode.UNSET)
        .orElse(MtlsMode.PERMISSIVE);
    return Optional.ofNullable(namespaces.get(namespace)).map(PeerAuthentication::mode)
        .orElse(MtlsMode.UNSET).orElse(meshMode);
  }

  /**
   * A workload's effective modes.
   *
   * @param workload the mode of every port not in {@code ports}
   * @param ports the modes of the ports its policy's {@code portLevelMtls} names (target ports)
   */
  public record InboundModes(MtlsMode workload, Map<Integer, MtlsMode> ports) {
    public InboundModes {
      ports = Map.copyOf(ports);
    }
  }
}
