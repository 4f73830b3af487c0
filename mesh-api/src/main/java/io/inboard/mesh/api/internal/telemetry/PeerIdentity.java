package io.inboard.mesh.api.internal.telemetry;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;

/**
 * Who is at the other end of a call, for the {@code source_*} and {@code destination_*} metric
 * labels. Istio's sidecars swap this in {@code x-envoy-peer-metadata}; Inboard sends it in one
 * plain header, {@value #HEADER}, as {@code workload;namespace;app;version}: every outbound call
 * carries the caller's identity, and every inbound hook answers with the server's.
 *
 * <p>The header is trusted as telemetry only, never for security: authorization will take the
 * peer's identity from its mTLS certificate.
 *
 * @param workload workload name, such as {@code productpage-v1}
 * @param namespace the workload's namespace
 * @param app its {@code app} label
 * @param version its {@code version} label
 */
public record PeerIdentity(String workload, String namespace, String app, String version) {

  /** The header that carries a peer's identity, in both directions. */
  public static final String HEADER = "x-inboard-peer";

  /** What Istio reports for a peer it does not know. */
  public static final String UNKNOWN_VALUE = "unknown";

  /** A peer that did not say who it is. */
  public static final PeerIdentity UNKNOWN =
      new PeerIdentity(UNKNOWN_VALUE, UNKNOWN_VALUE, UNKNOWN_VALUE, UNKNOWN_VALUE);

  public PeerIdentity {
    workload = orUnknown(workload);
    namespace = orUnknown(namespace);
    app = orUnknown(app);
    version = orUnknown(version);
  }

  /** The identity of {@code mesh}'s own workload, from its settings and labels. */
  public static PeerIdentity of(Mesh mesh) {
    Mesh.Settings s = requireNonNull(mesh, "mesh").settings();
    return new PeerIdentity(s.workloadName(), s.namespace(), s.labels().get("app"),
        s.labels().get("version"));
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
    return f.length == 4 ? new PeerIdentity(f[0].trim(), f[1].trim(), f[2].trim(), f[3].trim())
        : UNKNOWN;
  }

  /** This identity as a {@value #HEADER} value. */
  public String toHeader() {
    return workload + ';' + namespace + ';' + app + ';' + version;
  }

  private static String orUnknown(String v) {
    // ';' would shift the fields of the header; such a label value is reported as unknown.
    return v == null || v.isBlank() || v.indexOf(';') >= 0 ? UNKNOWN_VALUE : v;
  }
}
