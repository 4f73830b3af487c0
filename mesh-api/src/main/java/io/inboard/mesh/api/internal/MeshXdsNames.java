package io.inboard.mesh.api.internal;

/**
 * Names the control plane and both data planes agree on in the xDS they exchange for mTLS: the
 * workload's inbound listener, the metadata Inboard puts on listeners' filter chains and on
 * clusters, and the certificate-provider instances TLS contexts name.
 */
public final class MeshXdsNames {

  /** The LDS name of the listener that carries a workload's inbound mTLS policy. */
  public static final String VIRTUAL_INBOUND = "virtualInbound";

  /** The {@code filter_metadata} key of Inboard's own metadata on chains and clusters. */
  public static final String METADATA_FILTER = "io.inboard.mesh";

  /** Filter-chain metadata field: {@code STRICT}, {@code PERMISSIVE} or {@code DISABLE}. */
  public static final String MTLS_MODE = "mtlsMode";

  /**
   * Cluster metadata field: {@code ISTIO_MUTUAL}, {@code SIMPLE}, {@code MUTUAL} or
   * {@code DISABLE}.
   */
  public static final String TLS_MODE = "tlsMode";

  /** Cluster metadata field (bool): the TLS mode was chosen by auto-mTLS, not a DestinationRule. */
  public static final String AUTO_MTLS = "autoMtls";

  /** The certificate-provider instance of the workload's own key and chain, as Istio names it. */
  public static final String IDENTITY_PROVIDER = "default";

  /** The certificate-provider instance of the mesh's roots, as Istio names it. */
  public static final String ROOT_PROVIDER = "ROOTCA";

  /** The label that marks an endpoint as a mesh workload that speaks mTLS ({@code istio}). */
  public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";

  /** {@link #TLS_MODE_LABEL}'s value for mesh workloads. */
  public static final String TLS_MODE_ISTIO = "istio";

  private MeshXdsNames() {}
}
