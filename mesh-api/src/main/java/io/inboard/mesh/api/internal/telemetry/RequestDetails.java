package io.inboard.mesh.api.internal.telemetry;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What an access-log line and a span say about a request beyond its metric labels; Envoy's
 * access-log operators in brackets. Unknown text is {@code ""} (logged as {@code -}), unknown
 * numbers are {@code -1}.
 *
 * @param startEpochMillis when the request started, wall clock ({@code %START_TIME%})
 * @param method {@code %REQ(:METHOD)%}; {@code POST} for gRPC
 * @param path {@code %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%}, with the query; for gRPC
 *     {@code /pkg.Service/Method}
 * @param protocolVersion {@code %PROTOCOL%}: {@code HTTP/1.1} or {@code HTTP/2}
 * @param authority {@code %REQ(:AUTHORITY)%}: the logical authority the caller addressed
 * @param userAgent {@code %REQ(USER-AGENT)%}
 * @param requestId {@code %REQ(X-REQUEST-ID)%}
 * @param forwardedFor {@code %REQ(X-FORWARDED-FOR)%}
 * @param upstreamHost {@code %UPSTREAM_HOST%}: the endpoint that answered, {@code ip:port}
 * @param upstreamCluster {@code %UPSTREAM_CLUSTER_RAW%}: Istio's cluster name, such as
 *     {@code outbound|9080|v1|reviews.default.svc.cluster.local} (client) or
 *     {@code inbound|9080||} (server)
 * @param upstreamLocalAddress {@code %UPSTREAM_LOCAL_ADDRESS%} (client side)
 * @param downstreamLocalAddress {@code %DOWNSTREAM_LOCAL_ADDRESS%} (server side)
 * @param downstreamRemoteAddress {@code %DOWNSTREAM_REMOTE_ADDRESS%} (server side)
 * @param requestedServerName {@code %REQUESTED_SERVER_NAME%}: the TLS SNI
 * @param routeName {@code %ROUTE_NAME%}: the matched route's name, or {@code default}
 * @param responseCodeDetails {@code %RESPONSE_CODE_DETAILS%}, such as {@code via_upstream}
 * @param upstreamTransportFailureReason {@code %UPSTREAM_TRANSPORT_FAILURE_REASON%}
 * @param upstreamServiceTimeMillis {@code %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%}: the last
 *     attempt's time in milliseconds, or {@code -1}
 * @param attempts how many attempts the call made (client side; {@code 1} on servers)
 * @param headers the request headers the telemetry policy asked for (see
 *     {@link MeshTelemetry#capturedHeaders()}), lower-case name to value
 */
public record RequestDetails(long startEpochMillis, String method, String path,
    String protocolVersion, String authority, String userAgent, String requestId,
    String forwardedFor, String upstreamHost, String upstreamCluster,
    String upstreamLocalAddress, String downstreamLocalAddress, String downstreamRemoteAddress,
    String requestedServerName, String routeName, String responseCodeDetails,
    String upstreamTransportFailureReason, long upstreamServiceTimeMillis, int attempts,
    Map<String, String> headers) {

  /** Nothing known. */
  public static final RequestDetails NONE = new RequestDetails(-1, "", "", "", "", "", "", "",
      "", "", "", "", "", "", "", "", "", -1, 1, Map.of());

  public RequestDetails {
    method = orEmpty(method);
    path = orEmpty(path);
    protocolVersion = orEmpty(protocolVersion);
    authority = orEmpty(authority);
    userAgent = orEmpty(userAgent);
    requestId = orEmpty(requestId);
    forwardedFor = orEmpty(forwardedFor);
    upstreamHost = orEmpty(upstreamHost);
    upstreamCluster = orEmpty(upstreamCluster);
    upstreamLocalAddress = orEmpty(upstreamLocalAddress);
    downstreamLocalAddress = orEmpty(downstreamLocalAddress);
    downstreamRemoteAddress = orEmpty(downstreamRemoteAddress);
    requestedServerName = orEmpty(requestedServerName);
    routeName = orEmpty(routeName);
    responseCodeDetails = orEmpty(responseCodeDetails);
    upstreamTransportFailureReason = orEmpty(upstreamTransportFailureReason);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** A builder starting from {@link #NONE}. */
  public static Builder builder() {
    return new Builder();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Fills a {@link RequestDetails} field by field; every field starts as in {@link #NONE}. */
  public static final class Builder {
    private long startEpochMillis = -1;
    private String method = "";
    private String path = "";
    private String protocolVersion = "";
    private String authority = "";
    private String userAgent = "";
    private String requestId = "";
    private String forwardedFor = "";
    private String upstreamHost = "";
    private String upstreamCluster = "";
    private String upstreamLocalAddress = "";
    private String downstreamLocalAddress = "";
    private String downstreamRemoteAddress = "";
    private String requestedServerName = "";
    private String routeName = "";
    private String responseCodeDetails = "";
    private String upstreamTransportFailureReason = "";
    private long upstreamServiceTimeMillis = -1;
    private int attempts = 1;
    private Map<String, String> headers = Map.of();

    private Builder() {}

    public Builder startEpochMillis(long v) { startEpochMillis = v; return this; }
    public Builder method(String v) { method = v; return this; }
    public Builder path(String v) { path = v; return this; }
    public Builder protocolVersion(String v) { protocolVersion = v; return this; }
    public Builder authority(String v) { authority = v; return this; }
    public Builder userAgent(String v) { userAgent = v; return this; }
    public Builder requestId(String v) { requestId = v; return this; }
    public Builder forwardedFor(String v) { forwardedFor = v; return this; }
    public Builder upstreamHost(String v) { upstreamHost = v; return this; }
    public Builder upstreamCluster(String v) { upstreamCluster = v; return this; }
    public Builder upstreamLocalAddress(String v) { upstreamLocalAddress = v; return this; }
    public Builder downstreamLocalAddress(String v) { downstreamLocalAddress = v; return this; }
    public Builder downstreamRemoteAddress(String v) { downstreamRemoteAddress = v; return this; }
    public Builder requestedServerName(String v) { requestedServerName = v; return this; }
    public Builder routeName(String v) { routeName = v; return this; }
    public Builder responseCodeDetails(String v) { responseCodeDetails = v; return this; }
    public Builder upstreamTransportFailureReason(String v) {
      upstreamTransportFailureReason = v; return this; }
    public Builder upstreamServiceTimeMillis(long v) { upstreamServiceTimeMillis = v; return this; }
    public Builder attempts(int v) { attempts = v; return this; }
    public Builder headers(Map<String, String> v) { headers = requireNonNull(v, "headers"); return this; }

    public RequestDetails build() {
      return new RequestDetails(startEpochMillis, method, path, protocolVersion, authority,
          userAgent, requestId, forwardedFor, upstreamHost, upstreamCluster,
          upstreamLocalAddress, downstreamLocalAddress, downstreamRemoteAddress,
          requestedServerName, routeName, responseCodeDetails, upstreamTransportFailureReason,
          upstreamServiceTimeMillis, attempts, headers);
    }
  }
}
