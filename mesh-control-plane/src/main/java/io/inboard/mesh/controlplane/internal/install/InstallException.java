package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** A component install could not apply or wait for; {@link #getMessage()} says why. */
public final class InstallException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Component component;

  InstallException(Component component, RuntimeException cause) {
    super(reason(cause), cause);
    this.component = component;
  }

  /** The component that failed. */
  public Component component() {
    return component;
  }

  /** The most telling message of {@code e}: the API server's, when it answered. */
  static String reason(Throwable e) {
    if (e instanceof KubernetesClientException k && k.getStatus() != null
        && k.getStatus().getMessage() != null) {
      return k.getStatus().getMessage() + " (HTTP " + k.getCode() + ")";
    }
    String m = e.getMessage();
    if (e.getCause() != null && (m == null || e instanceof KubernetesClientException)) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return (m == null ? "" : m + ": ") + root;
    }
    return m == null ? e.toString() : m;
  }
}
