package io.inboard.mesh.api.internal.telemetry;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.WorkloadDefaults;
import java.util.Map;

/**
 * Who is at the other end of a call, for the {@code source_*} and {@code destination_*} metric
 * labels. Istio's sidecars swap this in {@code x-envoy-peer-metadata}; Inboard sends it in one
 * plain header, {@value #HEADER}, as
 * {@code workload;namespace;app;version;canonicalService;canonicalRevision;cluster}: every
 * outbound call carries the caller's identity, and every inbound hook answers with the
 * server's. (A four-field value from an older Inboard is read too.)
 *
 * <p>The header is trusted as telemetry only, never for security: authorization will take the
 * peer's identity from its mTLS certificate.
 *
 * @param workload workload name, such as {@code productpage-v1}
 * @param namespace the workload's namespace
 * @param app its {@code app} label
 * @param version its {@code version} label
 * @param canonicalService Istio's canonical service: label
 *     {@code service.istio.io/canonical-name}, else {@code app.kubernetes.io/name}, else
 *     {@code app}, else the workload name
 * @param canonicalRevision label {@code service.istio.io/canonical-revision}, else
 *     {@code app.kubernetes.io/version}, else {@code version}, else {@code latest}
 * @param cluster the cluster's id ({@code CLUSTER_ID}, Istio's default {@code Kubernetes})
 */
public record PeerIdentity(String workload, String namespace, String app, String version,
    String canonicalService, String canonicalRevision, String cluster) {

  /** The header that carries a peer's identity, in both directions. */
  public static final String HEADER = "x-inboard-peer";

  /** What Istio reports for a peer it does not know. */
  public static final String UNKNOWN_VALUE = "unknown";

  /** What Istio reports for an unknown canonical revision. */
  public static final String LATEST = "latest";

  /** A peer that did not say who it is. */
  public static final PeerIdentity UNKNOWN = new PeerIdentity(UNKNOWN_VALUE, UNKNOWN_VALUE,
      UNKNOWN_VALUE, UNKNOWN_VALUE, UNKNOWN_VALUE, LATEST, UNKNOWN_VALUE);

  public PeerIdentity {
    workload = orUnknown(workload);
    namespace = orUnknown(namespace);
    app = orUnknown(app);
    version = orUnknown(version);
    canonicalService = orUnknown(canonicalService);
    canonicalRevision = canonicalRevision == null || canonicalRevision.isBlank()
        || canonicalRevision.indexOf(';') >= 0 ? LATEST : canonicalRevision;
    cluster = orUnknown(cluster);
  }

  /**
   * An identity with the canonical service and revision derived from {@code app} and
   * {@code version} as Istio does without the canonical labels, in an unknown cluster.
   */
  public PeerIdentity(String workload, String namespace, String app, String version) {
    this(workload, namespace, app, version, app != null && !app.isBlank() ? app : workload,
        version, UNKNOWN_VALUE);
  }

  /**
   * The identity of {@code mesh}'s own workload, from its settings and labels; the cluster is
   * {@link WorkloadDefaults#clusterId()}.
   */
  public static PeerIdentity of(Mesh mesh) {
    Mesh.Settings s = requireNonNull(mesh, "mesh").settings();
    Map<String, String> l = s.labels();
    String app = l.get("app");
    String version = l.get("version");
    return new PeerIdentity(s.workloadName(), s.namespace(), app, version,
        first(l.get("service.istio.io/canonical-name"), l.get("app.kubernetes.io/name"), app,
            s.workloadName()),
        first(l.get("service.istio.io/canonical-revision"), l.get("app.kubernetes.io/version"),
            version, LATEST),
        WorkloadDefaults.clusterId());
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /**
   * Reads a {@value #HEADER} value; {@code null}, or a value without four {@code ;}-separated
   * fields, gives {@link #UNKNOWN}. Empty fields read as {@code unknown}.
   */
  public static PeerIdentity parse(String header) {
    if (header == null) {
      return UNKNOWN;
    }
    String[] f = header.split(";", -1);
    if (f.length == 7) {
      return new PeerIdentity(f[0].trim(), f[1].trim(), f[2].trim(), f[3].trim(), f[4].trim(),
          f[5].trim(), f[6].trim());
    }
    return f.length == 4 ? new PeerIdentity(f[0].trim(), f[1].trim(), f[2].trim(), f[3].trim())
        : UNKNOWN;
  }

  /** This identity as a {@value #HEADER} value. */
  public String toHeader() {
    return workload + ';' + namespace + ';' + app + ';' + version + ';' + canonicalService + ';'
        + canonicalRevision + ';' + cluster;
  }

  private static String orUnknown(String v) {
    // ';' would shift the fields of the header; such a label value is reported as unknown.
    return v == null || v.isBlank() || v.indexOf(';') >= 0 ? UNKNOWN_VALUE : v;
  }
}
