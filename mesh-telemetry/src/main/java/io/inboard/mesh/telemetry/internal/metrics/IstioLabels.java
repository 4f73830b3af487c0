package io.inboard.mesh.telemetry.internal.metrics;

import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.telemetry.IstioMetrics;

/**
 * The values of {@link IstioMetrics#LABELS} for one report, with Istio's rules
 * ({@code istio_stats.cc populatePeerInfo}). Runs once per distinct label set, not per request.
 */
final class IstioLabels {

  private static final String UNKNOWN = PeerIdentity.UNKNOWN_VALUE;
  private static final String SPIFFE_NAMESPACE = "/ns/";

  private IstioLabels() {}

  /** The label values, in {@link IstioMetrics#LABELS}' order. */
  static String[] values(RequestReport r) {
    boolean server = r.reporter() == Reporter.DESTINATION;
    PeerIdentity src = r.source();
    PeerIdentity dst = r.destination();
    // the peer's namespace comes from its certificate first, as Istio's; our own from settings
    String srcNamespace = server ? namespace(r.sourcePrincipal(), src.namespace())
        : src.namespace();
    String dstNamespace = server ? dst.namespace()
        : namespace(r.destinationPrincipal(), dst.namespace());
    String service = r.destinationService();
    boolean knownService = !service.isEmpty() && !service.equals(UNKNOWN);
    if (!knownService && server) {
      service = dst.canonicalService(); // Istio's inbound fallback without a Host
    } else if (!knownService) {
      service = UNKNOWN;
    }
    return new String[] {
      r.reporter().label(),
      src.workload(),
      src.canonicalService(),
      src.canonicalRevision(),
      srcNamespace,
      r.sourcePrincipal(),
      src.app(),
      src.version(),
      src.cluster(),
      dst.workload(),
      dstNamespace,
      r.destinationPrincipal(),
      dst.app(),
      dst.version(),
      service,
      serviceName(service),
      serviceNamespace(service, dstNamespace),
      dst.canonicalService(),
      dst.canonicalRevision(),
      dst.cluster(),
      r.protocol().label(),
      Integer.toString(r.responseCode()),
      r.grpcStatus(),
      r.responseFlags().isEmpty() ? "-" : r.responseFlags(),
      // only the server knows how it accepted the connection
      server ? (r.mutualTls() ? "mutual_tls" : "none") : UNKNOWN,
    };
  }

  /** The first DNS label of a host ({@code reviews} of {@code reviews.default.svc...}). */
  static String serviceName(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  /**
   * The namespace of a Kubernetes service host ({@code <name>.<ns>.svc[.<domain>]}), else the
   * destination workload's: Istio takes it from the service's registry entry, which for other
   * hosts (ServiceEntries, IPs) names the namespace it lives in.
   */
  static String serviceNamespace(String host, String destinationNamespace) {
    String[] parts = host.split("\\.", 4);
    if (parts.length >= 3 && parts[2].equals("svc") && !parts[1].isEmpty()) {
      return parts[1];
    }
    return destinationNamespace;
  }

  /** The namespace of a SPIFFE ID {@code spiffe://<td>/ns/<ns>/sa/<sa>}, else {@code fallback}. */
  static String namespace(String principal, String fallback) {
    int at = principal.indexOf(SPIFFE_NAMESPACE);
    if (at < 0) {
      return fallback;
    }
    int start = at + SPIFFE_NAMESPACE.length();
    int end = principal.indexOf('/', start);
    String ns = end < 0 ? principal.substring(start) : principal.substring(start, end);
    return ns.isEmpty() ? fallback : ns;
  }
}
