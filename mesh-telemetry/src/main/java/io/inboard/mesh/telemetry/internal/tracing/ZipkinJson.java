package io.inboard.mesh.telemetry.internal.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import java.util.List;

/**
 * Spans as a Zipkin v2 JSON list ({@code zipkin2.Span}): kind SERVER or CLIENT (none for
 * INTERNAL), timestamps and durations in microseconds, the local endpoint named after the
 * resource's {@code service.name}, the remote endpoint from {@code network.peer.address} and
 * {@code network.peer.port}, every attribute a string tag, and an {@code error} tag on spans
 * whose status is an error, as OpenTelemetry's Zipkin exporter wrote them.
 */
final class ZipkinJson {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private ZipkinJson() {}

  static String encode(Collection<SpanData> spans) {
    StringBuilder out = new StringBuilder(spans.size() * 700).append('[');
    boolean first = true;
    for (SpanData span : spans) {
      if (!first) {
        out.append(',');
      }
      first = false;
      span(span, out);
    }
    return out.append(']').toString();
  }

  private static void span(SpanData s, StringBuilder out) {
    out.append("{\"traceId\":\"").append(s.getTraceId())
        .append("\",\"id\":\"").append(s.getSpanId()).append('"');
    if (s.getParentSpanContext().isValid()) {
      out.append(",\"parentId\":\"").append(s.getParentSpanId()).append('"');
    }
    out.append(",\"name\":");
    string(s.getName(), out);
    switch (s.getKind()) {
      case SERVER -> out.append(",\"kind\":\"SERVER\"");
      case CLIENT -> out.append(",\"kind\":\"CLIENT\"");
      case PRODUCER -> out.append(",\"kind\":\"PRODUCER\"");
      case CONSUMER -> out.append(",\"kind\":\"CONSUMER\"");
      default -> { } // INTERNAL has no Zipkin kind
    }
    long start = s.getStartEpochNanos() / 1000;
    long duration = Math.max(1, (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1000);
    out.append(",\"timestamp\":").append(start).append(",\"duration\":").append(duration);
    String service = s.getResource().getAttribute(SERVICE_NAME);
    out.append(",\"localEndpoint\":{\"serviceName\":");
    string(service == null ? "unknown" : service, out);
    out.append('}');
    remoteEndpoint(s, out);
    List<EventData> events = s.getEvents();
    if (!events.isEmpty()) {
      out.append(",\"annotations\":[");
      for (int i = 0; i < events.size(); i++) {
        out.append(i == 0 ? "{\"timestamp\":" : ",{\"timestamp\":")
            .append(events.get(i).getEpochNanos() / 1000).append(",\"value\":");
        string(events.get(i).getName(), out);
        out.append('}');
      }
      out.append(']');
    }
    out.append(",\"tags\":{");
    boolean[] first = {true};
    s.getAttributes().forEach((key, value) -> {
      tag(key.getKey(), value instanceof List<?> l ? join(l) : String.valueOf(value), first[0],
          out);
      first[0] = false;
    });
    if (s.getStatus().getStatusCode() == StatusCode.ERROR) {
      tag("otel.status_code", "ERROR", first[0], out);
      String description = s.getStatus().getDescription();
      tag("error", description == null || description.isEmpty() ? "true" : description, false,
          out);
    }
    out.append("},\"shared\":false}");
  }

  private static void remoteEndpoint(SpanData s, StringBuilder out) {
    String peer = s.getAttributes().get(SpanAttributes.PEER_ADDRESS);
    if (peer == null || peer.isEmpty()) {
      return;
    }
    boolean v6 = peer.indexOf(':') >= 0;
    boolean v4 = !v6 && peer.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    out.append(",\"remoteEndpoint\":{");
    if (v6 || v4) {
      out.append(v6 ? "\"ipv6\":" : "\"ipv4\":");
    } else {
      out.append("\"serviceName\":"); // a host name, not an address
    }
    string(peer, out);
    Long port = s.getAttributes().get(SpanAttributes.PEER_PORT);
    if (port != null) {
      out.append(",\"port\":").append(port);
    }
    out.append('}');
  }

  private static void tag(String key, String value, boolean first, StringBuilder out) {
    if (!first) {
      out.append(',');
    }
    string(key, out);
    out.append(':');
    string(value, out);
  }

  private static String join(List<?> values) {
    StringBuilder b = new StringBuilder();
    for (Object v : values) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(v);
    }
    return b.toString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
