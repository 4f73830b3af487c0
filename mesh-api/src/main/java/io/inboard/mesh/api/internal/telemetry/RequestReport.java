package io.inboard.mesh.api.internal.telemetry;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.inbound.InboundRequest.Protocol;

/**
 * One finished request, as Istio's standard metrics see it. The data planes fill one per
 * request on each side: the client with {@link Reporter#SOURCE}, the server's inbound hook with
 * {@link Reporter#DESTINATION}.
 *
 * @param reporter which side reports
 * @param protocol {@code request_protocol} (Istio's label: {@link Protocol#label()})
 * @param source the calling workload ({@link PeerIdentity#UNKNOWN} when it did not say)
 * @param destination the serving workload ({@link PeerIdentity#UNKNOWN} when it did not say)
 * @param destinationService {@code destination_service}: the service's host name, such as
 *     {@code reviews.default.svc.cluster.local}, or {@code unknown}
 * @param responseCode HTTP status; for gRPC the HTTP status of the exchange ({@code 200} unless
 *     the transport failed, then {@code 0})
 * @param grpcStatus the gRPC status code's number as text ({@code "0"} for OK), or {@code ""}
 *     for HTTP
 * @param responseFlags Envoy-style flags such as {@code UH} or {@code URX}, {@code "-"} for none
 * @param durationNanos from request start to response end, in nanoseconds
 * @param requestBytes request body size in bytes, or {@code -1} when unknown
 * @param responseBytes response body size in bytes, or {@code -1} when unknown
 * @param sourcePrincipal {@code source_principal}: the caller's SPIFFE ID as its mTLS
 *     certificate proves it, or {@code unknown} (plaintext, or not known on this side)
 * @param destinationPrincipal {@code destination_principal}: the server's SPIFFE ID on an mTLS
 *     connection, or {@code unknown}
 * @param connectionSecurityPolicy {@code connection_security_policy}: {@code mutual_tls} or
 *     {@code none} as the server saw the connection; the client side reports {@code unknown},
 *     as Istio does
 */
public record RequestReport(Reporter reporter, Protocol protocol, PeerIdentity source,
    PeerIdentity destination, String destinationService, int responseCode, String grpcStatus,
    String responseFlags, long durationNanos, long requestBytes, long responseBytes,
    String sourcePrincipal, String destinationPrincipal, String connectionSecurityPolicy) {

  /** {@code connection_security_policy} of a connection with a verified client certificate. */
  public static final String MUTUAL_TLS = "mutual_tls";

  /** {@code connection_security_policy} of a plaintext connection. */
  public static final String NONE = "none";

  /**
   * A report without connection security: both principals {@code unknown}, and the policy
   * {@code none} for the destination side, {@code unknown} for the source side.
   */
  public RequestReport(Reporter reporter, Protocol protocol, PeerIdentity source,
      PeerIdentity destination, String destinationService, int responseCode, String grpcStatus,
      String responseFlags, long durationNanos, long requestBytes, long responseBytes) {
    this(reporter, protocol, source, destination, destinationService, responseCode, grpcStatus,
        responseFlags, durationNanos, requestBytes, responseBytes, PeerIdentity.UNKNOWN_VALUE,
        PeerIdentity.UNKNOWN_VALUE, null);
  }

  /** Which side of the call reports, Istio's {@code reporter} label. */
  public enum Reporter {
    /** The client: {@code reporter="source"}. */
    SOURCE,
    /** The server: {@code reporter="destination"}. */
    DESTINATION;

    /** The label value, {@code source} or {@code destination}. */
    public String label() {
      return this == SOURCE ? "source" : "destination";
    }
  }

  public RequestReport {
    requireNonNull(reporter, "reporter");
    requireNonNull(protocol, "protocol");
    requireNonNull(source, "source");
    requireNonNull(destination, "destination");
    requireNonNull(destinationService, "destinationService");
    requireNonNull(grpcStatus, "grpcStatus");
    requireNonNull(responseFlags, "responseFlags");
    sourcePrincipal = orUnknown(sourcePrincipal);
    destinationPrincipal = orUnknown(destinationPrincipal);
    if (connectionSecurityPolicy == null || connectionSecurityPolicy.isEmpty()) {
      connectionSecurityPolicy = reporter == Reporter.DESTINATION ? NONE
          : PeerIdentity.UNKNOWN_VALUE;
    }
    if (durationNanos < 0) {
      throw new IllegalArgumentException("durationNanos: " + durationNanos + " (expected: >= 0)");
    }
  }

  private static String orUnknown(String principal) {
    return principal == null || principal.isEmpty() ? PeerIdentity.UNKNOWN_VALUE : principal;
  }
}
