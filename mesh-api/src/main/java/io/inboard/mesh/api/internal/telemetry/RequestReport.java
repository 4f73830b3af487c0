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
 * @param sourcePrincipal {@code source_principal}: the client's SPIFFE ID
 *     ({@code spiffe://<td>/ns/<ns>/sa/<sa>}) from its mTLS certificate, or {@code unknown}
 * @param destinationPrincipal {@code destination_principal}: the server's SPIFFE ID from its
 *     mTLS certificate, or {@code unknown}
 * @param mutualTls {@code connection_security_policy}: {@code mutual_tls} when the connection
 *     was mTLS, else {@code none}; Istio sets it on {@code reporter="destination"} only (the
 *     source reports {@code unknown})
 * @param requestMessages gRPC messages sent by the client ({@code istio_request_messages_total}),
 *     or {@code -1} for HTTP
 * @param responseMessages gRPC messages sent by the server, or {@code -1} for HTTP
 * @param details what access logs and spans add ({@link RequestDetails#NONE} when unknown)
 */
public record RequestReport(Reporter reporter, Protocol protocol, PeerIdentity source,
    PeerIdentity destination, String destinationService, int responseCode, String grpcStatus,
    String responseFlags, long durationNanos, long requestBytes, long responseBytes,
    String sourcePrincipal, String destinationPrincipal, boolean mutualTls,
    long requestMessages, long responseMessages, RequestDetails details) {

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

  /** A builder for a report from {@code reporter} over {@code protocol}. */
  public static Builder builder(Reporter reporter, Protocol protocol) {
    return new Builder(reporter, protocol);
  }

  public RequestReport {
    sourcePrincipal = principalOrUnknown(sourcePrincipal);
    destinationPrincipal = principalOrUnknown(destinationPrincipal);
    requireNonNull(reporter, "reporter");
    requireNonNull(protocol, "protocol");
    requireNonNull(source, "source");
    requireNonNull(destination, "destination");
    requireNonNull(destinationService, "destinationService");
    requireNonNull(grpcStatus, "grpcStatus");
    requireNonNull(responseFlags, "responseFlags");
    details = details == null ? RequestDetails.NONE : details;
    if (durationNanos < 0) {
      throw new IllegalArgumentException("durationNanos: " + durationNanos + " (expected: >= 0)");
    }
  }

  /**
   * Fills a report. Defaults: both peers {@link PeerIdentity#UNKNOWN}, service {@code unknown},
   * response code {@code 0}, gRPC status {@code ""}, flags {@code "-"}, sizes and message
   * counts {@code -1}, principals {@code unknown}, no mTLS, {@link RequestDetails#NONE}.
   */
  public static final class Builder {
    private final Reporter reporter;
    private final Protocol protocol;
    private PeerIdentity source = PeerIdentity.UNKNOWN;
    private PeerIdentity destination = PeerIdentity.UNKNOWN;
    private String destinationService = PeerIdentity.UNKNOWN_VALUE;
    private int responseCode;
    private String grpcStatus = "";
    private String responseFlags = "-";
    private long durationNanos;
    private long requestBytes = -1;
    private long responseBytes = -1;
    private String sourcePrincipal = PeerIdentity.UNKNOWN_VALUE;
    private String destinationPrincipal = PeerIdentity.UNKNOWN_VALUE;
    private boolean mutualTls;
    private long requestMessages = -1;
    private long responseMessages = -1;
    private RequestDetails details = RequestDetails.NONE;

    private Builder(Reporter reporter, Protocol protocol) {
      this.reporter = requireNonNull(reporter, "reporter");
      this.protocol = requireNonNull(protocol, "protocol");
    }

    public Builder source(PeerIdentity v) { source = v; return this; }
    public Builder destination(PeerIdentity v) { destination = v; return this; }
    public Builder destinationService(String v) { destinationService = v; return this; }
    public Builder responseCode(int v) { responseCode = v; return this; }
    public Builder grpcStatus(String v) { grpcStatus = v; return this; }
    public Builder responseFlags(String v) { responseFlags = v; return this; }
    public Builder durationNanos(long v) { durationNanos = v; return this; }
    public Builder requestBytes(long v) { requestBytes = v; return this; }
    public Builder responseBytes(long v) { responseBytes = v; return this; }
    /** The principals and whether the connection was mTLS; {@code null} reads unknown. */
    public Builder security(String sourcePrincipal, String destinationPrincipal,
        boolean mutualTls) {
      this.sourcePrincipal = sourcePrincipal;
      this.destinationPrincipal = destinationPrincipal;
      this.mutualTls = mutualTls;
      return this;
    }
    public Builder requestMessages(long v) { requestMessages = v; return this; }
    public Builder responseMessages(long v) { responseMessages = v; return this; }
    public Builder details(RequestDetails v) { details = v; return this; }

    public RequestReport build() {
      return new RequestReport(reporter, protocol, source, destination, destinationService,
          responseCode, grpcStatus, responseFlags, durationNanos, requestBytes, responseBytes,
          sourcePrincipal, destinationPrincipal, mutualTls, requestMessages, responseMessages,
          details);
    }
  }

  private static String principalOrUnknown(String p) {
    return p == null || p.isEmpty() ? PeerIdentity.UNKNOWN_VALUE : p;
  }
}
