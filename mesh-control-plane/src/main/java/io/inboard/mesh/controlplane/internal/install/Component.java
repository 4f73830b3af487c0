package io.inboard.mesh.controlplane.internal.install;

/**
 * The parts install applies, in order, each named by the label {@code inboard.io/component} on
 * every object it makes, and by a progress line as istioctl prints one.
 */
public enum Component {
  /** Namespaces and Istio's CRDs. */
  BASE("base", "Inboard core"),
  /** The control plane, its RBAC and Service, and the injection webhook configuration. */
  CONTROL_PLANE("control-plane", "Inboard control plane"),
  /** The ingress gateway's Deployment, Service and ServiceAccount. */
  INGRESS_GATEWAY("ingress-gateway", "Ingress gateways"),
  /** Mesh-wide telemetry defaults: the demo profile's, or those --set asks for. */
  DEMO("demo", "Mesh telemetry defaults");

  private final String label;
  private final String title;

  Component(String label, String title) {
    this.label = label;
    this.title = title;
  }

  /** The value of the {@code inboard.io/component} label. */
  public String label() {
    return label;
  }

  /** The name in progress lines, such as {@code Inboard control plane}. */
  public String title() {
    return title;
  }
}
