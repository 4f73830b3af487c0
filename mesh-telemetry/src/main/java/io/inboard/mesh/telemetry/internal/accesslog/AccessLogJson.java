package io.inboard.mesh.telemetry.internal.accesslog;

import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.telemetry.internal.Json;

/**
 * One request as Istio's JSON access-log line ({@code EnvoyJSONLogFormatIstio}): the fields of
 * {@link AccessLogLine} under Istio's keys, in alphabetical order as Envoy prints a JSON format.
 * As in Envoy, numeric operators stay numbers ({@code response_code}, {@code bytes_received},
 * {@code bytes_sent}, {@code duration}), headers stay strings ({@code upstream_service_time}),
 * and a value not known is {@code null}.
 */
public final class AccessLogJson {

  private AccessLogJson() {}

  /** The JSON line of {@code r}, without a line end. */
  public static String of(RequestReport r) {
    RequestDetails d = r.details();
    StringBuilder sb = new StringBuilder(512).append('{');
    string(sb, "authority", d.authority());
    number(sb, "bytes_received", r.requestBytes());
    number(sb, "bytes_sent", r.responseBytes());
    string(sb, "connection_termination_details", "");
    string(sb, "downstream_local_address", d.downstreamLocalAddress());
    string(sb, "downstream_remote_address", d.downstreamRemoteAddress());
    number(sb, "duration", r.durationNanos() / 1_000_000);
    string(sb, "method", d.method());
    string(sb, "path", d.path());
    string(sb, "protocol", d.protocolVersion());
    string(sb, "request_id", d.requestId());
    string(sb, "requested_server_name", d.requestedServerName());
    number(sb, "response_code", r.responseCode());
    string(sb, "response_code_details", d.responseCodeDetails());
    string(sb, "response_flags", r.responseFlags().isEmpty() ? "-" : r.responseFlags());
    string(sb, "route_name", d.routeName());
    string(sb, "start_time", d.startEpochMillis() < 0 ? "" : AccessLogLine.startTime(d));
    string(sb, "upstream_cluster", d.upstreamCluster());
    string(sb, "upstream_host", d.upstreamHost());
    string(sb, "upstream_local_address", d.upstreamLocalAddress());
    string(sb, "upstream_service_time", d.upstreamServiceTimeMillis() < 0 ? ""
        : Long.toString(d.upstreamServiceTimeMillis()));
    string(sb, "upstream_transport_failure_reason", d.upstreamTransportFailureReason());
    string(sb, "user_agent", d.userAgent());
    string(sb, "x_forwarded_for", d.forwardedFor());
    sb.setCharAt(sb.length() - 1, '}');
    return sb.toString();
  }

  private static void number(StringBuilder sb, String key, long n) {
    key(sb, key);
    sb.append(n < 0 ? "null" : Long.toString(n)).append(',');
  }

  private static void string(StringBuilder sb, String key, String value) {
    key(sb, key);
    if (value == null || value.isEmpty()) {
      sb.append("null,");
      return;
    }
    Json.string(sb, value);
    sb.append(',');
  }

  private static void key(StringBuilder sb, String key) {
    sb.append('"').append(key).append("\":");
  }
}
