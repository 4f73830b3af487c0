package io.inboard.mesh.controlplane.internal.model;

/** How a VirtualService names the gateways it binds to, resolved as Istio does. */
public final class GatewayNames {
  /** The reserved name of every mesh client (sidecars, proxyless workloads). */
  public static final String MESH = "mesh";

  private GatewayNames() {}

  /**
   * {@code name} as written in a VirtualService of {@code namespace}, as {@code ns/name}:
   * {@code gw} and {@code ./gw} are in that namespace, {@code ns/gw} is as written, and the
   * legacy {@code gw.ns.svc.cluster.local} (or {@code gw.ns}) is {@code ns/gw}; {@value #MESH}
   * stays itself.
   */
  public static String resolve(String name, String namespace) {
    if (name.equals(MESH)) {
      return name;
    }
    int slash = name.indexOf('/');
    if (slash >= 0) {
      return name.startsWith("./") ? namespace + name.substring(1) : name;
    }
    int dot = name.indexOf('.');
    if (dot < 0) {
      return namespace + "/" + name;
    }
    String rest = name.substring(dot + 1);
    int next = rest.indexOf('.');
    return (next < 0 ? rest : rest.substring(0, next)) + "/" + name.substring(0, dot);
  }
}
