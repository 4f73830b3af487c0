package io.inboard.mesh.xds.internal;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.NodeMetadataKeys;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a workload introduces itself to a control plane: its xDS node id and node metadata. The
 * metadata keys, defined in {@link NodeMetadataKeys}, are a contract with the control plane's
 * workload auto-registration.
 *
 * <table>
 *   <caption>Node metadata</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@code NAMESPACE}</td><td>string: the workload's namespace</td></tr>
 *   <tr><td>{@code WORKLOAD_NAME}</td><td>string: such as {@code reviews-v2}</td></tr>
 *   <tr><td>{@code SERVICE_ACCOUNT}</td><td>string: such as {@code bookinfo-reviews}</td></tr>
 *   <tr><td>{@code LABELS}</td><td>struct of strings: the workload's labels, plus
 *       {@code security.istio.io/tlsMode: istio} when the workload has a mesh identity (unless
 *       the application set that label itself), so that the control plane's auto-mTLS treats
 *       its endpoints as mesh workloads, as Istio's injector labels sidecar pods</td></tr>
 *   <tr><td>{@code INSTANCE_IPS}</td><td>string: comma-separated, first one preferred; absent
 *       when none</td></tr>
 *   <tr><td>{@code INBOARD_SERVICE}</td><td>string: short name of the service served; absent
 *       for a pure client</td></tr>
 *   <tr><td>{@code INBOARD_ZONE}</td><td>string: the workload's topology zone; absent when
 *       unknown. Auto-registration puts the workload's endpoints in this zone's locality</td></tr>
 *   <tr><td>{@code INBOARD_PORTS}</td><td>struct: port name to number as a string, such as
 *       {@code {"grpc": "9080"}}; absent for a pure client</td></tr>
 *   <tr><td>{@code INBOARD_ADMIN_ADDRESS}</td><td>string: {@code host:port} of the workload's
 *       admin server ({@code /stats/prometheus}), which the control plane's service graph
 *       scrapes; absent when it runs none. The admin server binds every interface, so the host
 *       is the first instance IP (loopback when the workload has none)</td></tr>
 * </table>
 */
public final class XdsNode {
  private XdsNode() {}

  /**
   * {@code <workload>~<first instance IP>~<namespace>}, such as
   * {@code reviews-v2~10.0.0.7~default}; the IP part is {@code 0.0.0.0} when the workload has
   * none. Unique as long as workload names are (they default to the pod name).
   */
  public static String id(Mesh.Settings s) {
    String ip = s.instanceIps().isEmpty() ? "0.0.0.0" : s.instanceIps().get(0);
    return s.workloadName() + "~" + ip + "~" + s.namespace();
  }

  /**
   * The node metadata of {@code mesh}: {@link #metadata(Mesh.Settings)} and, when the mesh runs
   * an admin server, its address. Every xDS client of one mesh must announce the same
   * metadata, so they all call this.
   */
  public static Map<String, Object> metadata(Mesh mesh) {
    Map<String, Object> m = metadata(mesh.settings());
    mesh.adminAddress().ifPresent(a -> m.put(NodeMetadataKeys.ADMIN_ADDRESS,
        adminAddress(mesh.settings(), a)));
    return m;
  }

  /** {@code host:port} others reach {@code bound} at (IPv6 hosts in brackets). */
  static String adminAddress(Mesh.Settings s, InetSocketAddress bound) {
    String host = bound.getAddress() == null || bound.getAddress().isAnyLocalAddress()
        ? (s.instanceIps().isEmpty() ? "127.0.0.1" : s.instanceIps().get(0))
        : bound.getAddress().getHostAddress();
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":"
        + bound.getPort();
  }

  /** The node metadata: strings and structs of strings, keyed as in the class comment. */
  public static Map<String, Object> metadata(Mesh.Settings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(NodeMetadataKeys.NAMESPACE, s.namespace());
    m.put(NodeMetadataKeys.WORKLOAD_NAME, s.workloadName());
    m.put(NodeMetadataKeys.SERVICE_ACCOUNT, s.serviceAccount());
    m.put(NodeMetadataKeys.LABELS, Map.copyOf(labels(s)));
    if (!s.instanceIps().isEmpty()) {
      m.put(NodeMetadataKeys.INSTANCE_IPS, String.join(",", s.instanceIps()));
    }
    if (!s.zone().isEmpty()) {
      m.put(NodeMetadataKeys.ZONE, s.zone());
    }
    s.serves().ifPresent(served -> {
      m.put(NodeMetadataKeys.SERVICE, served.name());
      Map<String, String> ports = new LinkedHashMap<>();
      served.ports().forEach((name, port) -> ports.put(name, Integer.toString(port)));
      m.put(NodeMetadataKeys.PORTS, ports);
    });
    return m;
  }

  /** The labels announced: the workload's, with the mTLS marker when it has an identity. */
  static Map<String, String> labels(Mesh.Settings s) {
    if (s.identity().isEmpty()) {
      return s.labels();
    }
    Map<String, String> labels = new LinkedHashMap<>(s.labels());
    labels.putIfAbsent(MeshXdsNames.TLS_MODE_LABEL, MeshXdsNames.TLS_MODE_ISTIO);
    return labels;
  }
}
