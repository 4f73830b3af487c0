package io.inboard.mesh.api.internal;

/**
 * The keys of the xDS node metadata a workload announces itself with, defined once for both
 * sides of the contract: {@code mesh-xds} writes them (from the mesh's settings) and the control
 * plane reads them for workload auto-registration.
 */
public final class NodeMetadataKeys {

  private NodeMetadataKeys() {}

  /** String: the workload's namespace. */
  public static final String NAMESPACE = "NAMESPACE";

  /** String: the workload's name, such as {@code reviews-v2}. */
  public static final String WORKLOAD_NAME = "WORKLOAD_NAME";

  /** String: the workload's service account, such as {@code bookinfo-reviews}. */
  public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";

  /** Struct of strings: the workload's labels. */
  public static final String LABELS = "LABELS";

  /** String: the workload's addresses, comma-separated, first one preferred; absent when none. */
  public static final String INSTANCE_IPS = "INSTANCE_IPS";

  /**
   * String: the short name of the service served, in {@link #NAMESPACE}; absent for a pure
   * client.
   */
  public static final String SERVICE = "INBOARD_SERVICE";

  /**
   * Struct: port name to number, such as {@code {"grpc": "9080"}} (written as strings, read as
   * strings or numbers); absent for a pure client.
   */
  public static final String PORTS = "INBOARD_PORTS";

  /**
   * String: the workload's topology zone; absent when unknown. Auto-registration puts the
   * workload's endpoints in this zone's locality.
   */
  public static final String ZONE = "INBOARD_ZONE";

  /**
   * String: {@code host:port} of the workload's admin server ({@code /stats/prometheus},
   * {@code /debug/config_dump}); absent when it runs none. The control plane scrapes it for its
   * service graph when no Prometheus is configured.
   */
  public static final String ADMIN_ADDRESS = "INBOARD_ADMIN_ADDRESS";
}
