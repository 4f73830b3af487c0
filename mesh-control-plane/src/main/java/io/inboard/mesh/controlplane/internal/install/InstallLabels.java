package io.inboard.mesh.controlplane.internal.install;

/** The labels on everything install makes, by which prune and uninstall find it. */
public final class InstallLabels {
  /** {@value}: {@link #MANAGER} on every object install makes. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** {@value}, also the server-side apply field manager. */
  public static final String MANAGER = "inboardctl";
  /** {@value}: the {@link Component#label()} of the part an object belongs to. */
  public static final String COMPONENT = "inboard.io/component";

  private InstallLabels() {}

  static boolean managed(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return o.getMetadata().getLabels() != null
        && MANAGER.equals(o.getMetadata().getLabels().get(MANAGED_BY));
  }

  /**
   * Whether install may apply over {@code crd}: its own, or one from the hand-applied
   * istio-crds.yaml of releases before install existed (labelled part-of inboard).
   */
  static boolean ours(io.fabric8.kubernetes.api.model.HasMetadata crd) {
    return managed(crd) || (crd.getMetadata().getLabels() != null
        && "inboard".equals(crd.getMetadata().getLabels().get("app.kubernetes.io/part-of")));
  }
}
