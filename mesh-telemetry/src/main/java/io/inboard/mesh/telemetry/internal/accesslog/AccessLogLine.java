package io.inboard.mesh.telemetry.internal.accesslog;

import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One request as Istio's default access-log line ({@code pilot/pkg/model/telemetry_logging.go}):
 * <pre>
 * [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 * %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 * "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
 * %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 * "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
 * %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
 * %REQUESTED_SERVER_NAME% %ROUTE_NAME%
 * </pre>
 * on one line, or the same fields as Istio's JSON ({@link AccessLogJson}). As in Envoy, a field
 * without a value prints {@code -} (inside the quotes for quoted fields); {@code START_TIME} is
 * ISO-8601 UTC with milliseconds; {@code DURATION} is whole milliseconds; sizes Inboard does not
 * know print {@code -}. {@code CONNECTION_TERMINATION_DETAILS} is always {@code -}: no Inboard
 * plane reports it.
 */
public final class AccessLogLine {

  static final String NONE = "-";

  /** Envoy's {@code %START_TIME%} default. */
  static final DateTimeFormatter START_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AccessLogLine() {}

  /** The text line of {@code r}, without a line end. */
  public static String text(RequestReport r) {
    RequestDetails d = r.details();
    StringBuilder sb = new StringBuilder(256);
    sb.append('[').append(startTime(d)).append("] \"")
        .append(or(d.method())).append(' ').append(or(d.path())).append(' ')
        .append(or(d.protocolVersion())).append("\" ")
        .append(r.responseCode()).append(' ')
        .append(or(r.responseFlags())).append(' ')
        .append(or(d.responseCodeDetails())).append(' ')
        .append(NONE).append(' ')
        .append('"').append(or(d.upstreamTransportFailureReason())).append("\" ")
        .append(number(r.requestBytes())).append(' ')
        .append(number(r.responseBytes())).append(' ')
        .append(r.durationNanos() / 1_000_000).append(' ')
        .append(number(d.upstreamServiceTimeMillis())).append(' ')
        .append('"').append(or(d.forwardedFor())).append("\" ")
        .append('"').append(or(d.userAgent())).append("\" ")
        .append('"').append(or(d.requestId())).append("\" ")
        .append('"').append(or(d.authority())).append("\" ")
        .append('"').append(or(d.upstreamHost())).append("\" ")
        .append(or(d.upstreamCluster())).append(' ')
        .append(or(d.upstreamLocalAddress())).append(' ')
        .append(or(d.downstreamLocalAddress())).append(' ')
        .append(or(d.downstreamRemoteAddress())).append(' ')
        .append(or(d.requestedServerName())).append(' ')
        .append(or(d.routeName()));
    return sb.toString();
  }

  /** {@code %START_TIME%}, or {@code -} when the plane did not give it. */
  static String startTime(RequestDetails d) {
    return d.startEpochMillis() < 0 ? NONE
        : START_TIME.format(Instant.ofEpochMilli(d.startEpochMillis()));
  }

  private static String or(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }

  private static String number(long n) {
    return n < 0 ? NONE : Long.toString(n);
  }
}
