package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.context.HeaderPropagation;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.telemetry.internal.tracing.ParentContext.Sampling;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads and writes trace context in headers, so that both W3C and Zipkin-era (Envoy, B3)
 * services continue a trace. Reads W3C {@code traceparent}/{@code tracestate} first, else B3
 * single {@code b3}, else B3 multi ({@code x-b3-traceid}, {@code x-b3-spanid},
 * {@code x-b3-sampled}, {@code x-b3-flags}); writes W3C and B3 multi together.
 */
final class TraceHeaders {

  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";
  static final String B3 = "b3";
  static final String B3_TRACE_ID = "x-b3-traceid";
  static final String B3_SPAN_ID = "x-b3-spanid";
  static final String B3_PARENT_SPAN_ID = "x-b3-parentspanid";
  static final String B3_SAMPLED = "x-b3-sampled";
  static final String B3_FLAGS = "x-b3-flags";

  private static final ParentContext SAMPLED_ONLY =
      new ParentContext(null, null, Sampling.SAMPLED, null);
  private static final ParentContext NOT_SAMPLED_ONLY =
      new ParentContext(null, null, Sampling.NOT_SAMPLED, null);

  private TraceHeaders() {}

  /** The parent the headers name, or {@code null} when they carry no usable trace context. */
  static ParentContext extract(Map<String, String> headers) {
    String traceparent = headers.get(TRACEPARENT);
    if (traceparent != null) {
      ParentContext p = parseTraceparent(traceparent, headers.get(TRACESTATE));
      if (p != null) {
        return p;
      }
    }
    String b3 = headers.get(B3);
    if (b3 != null) {
      ParentContext p = parseB3Single(b3.trim());
      if (p != null) {
        return p;
      }
    }
    return parseB3Multi(headers);
  }

  /**
   * Hands the headers that make {@code spanId} the parent of the receiver to {@code header}:
   * {@code traceparent}, {@code tracestate} (when not {@code null}), {@code x-b3-traceid},
   * {@code x-b3-spanid}, {@code x-b3-parentspanid} (when not {@code null}), {@code x-b3-sampled}.
   */
  static void inject(String traceId, String spanId, String parentSpanId, boolean sampled,
      String traceState, BiConsumer<String, String> header) {
    header.accept(TRACEPARENT, traceparent(traceId, spanId, sampled));
    if (traceState != null) {
      header.accept(TRACESTATE, traceState);
    }
    header.accept(B3_TRACE_ID, traceId);
    header.accept(B3_SPAN_ID, spanId);
    if (parentSpanId != null) {
      header.accept(B3_PARENT_SPAN_ID, parentSpanId);
    }
    header.accept(B3_SAMPLED, sampled ? "1" : "0");
  }

  /**
   * {@code inbound} with every {@link MeshTracing#TRACE_HEADERS} entry replaced by the headers
   * {@link #inject} writes; the other headers, their order and the peer principal are kept. The
   * trace headers go where {@link HeaderPropagation#DEFAULT_HEADERS} puts them: after
   * {@code x-request-id}.
   */
  static RequestContext rewrite(RequestContext inbound, String traceId, String spanId,
      String parentSpanId, boolean sampled, String traceState) {
    Map<String, String> in = inbound.headers();
    Map<String, String> out = new LinkedHashMap<>((in.size() + 6) * 2);
    boolean written = false;
    if (!in.containsKey(HeaderPropagation.REQUEST_ID)) {
      inject(traceId, spanId, parentSpanId, sampled, traceState, out::put);
      written = true;
    }
    for (Map.Entry<String, String> e : in.entrySet()) {
      String name = e.getKey();
      if (isTraceHeader(name)) {
        continue;
      }
      out.put(name, e.getValue());
      if (!written && name.equals(HeaderPropagation.REQUEST_ID)) {
        inject(traceId, spanId, parentSpanId, sampled, traceState, out::put);
        written = true;
      }
    }
    return new RequestContext(out, inbound.peerPrincipal());
  }

  static String traceparent(String traceId, String spanId, boolean sampled) {
    return "00-" + traceId + '-' + spanId + (sampled ? "-01" : "-00");
  }

  private static boolean isTraceHeader(String name) {
    // The list is eight short strings; a switch would be no faster to read or run.
    return MeshTracing.TRACE_HEADERS.contains(name);
  }

  /** W3C: {@code version-traceid-parentid-flags}; version {@code ff} and zero ids are invalid. */
  private static ParentContext parseTraceparent(String value, String traceState) {
    String v = value.trim();
    if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
      return null;
    }
    String version = v.substring(0, 2);
    if (!isHex(version) || version.equals("ff")
        || (version.equals("00") ? v.length() != 55 : v.length() > 55 && v.charAt(55) != '-')) {
      return null;
    }
    String traceId = v.substring(3, 35);
    String spanId = v.substring(36, 52);
    String flags = v.substring(53, 55);
    if (!TraceIds.isValidId(traceId, 32) || !TraceIds.isValidId(spanId, 16) || !isHex(flags)) {
      return null;
    }
    boolean sampled = (Character.digit(flags.charAt(1), 16) & 1) == 1;
    String state = traceState == null || traceState.isBlank() ? null : traceState.trim();
    return new ParentContext(lower(traceId), lower(spanId),
        sampled ? Sampling.SAMPLED : Sampling.NOT_SAMPLED, state);
  }

  /**
   * B3 single: {@code traceid-spanid[-sampling[-parentspanid]]}, or a decision alone
   * ({@code 0}, {@code 1}, {@code d}).
   */
  private static ParentContext parseB3Single(String v) {
    if (v.length() == 1) {
      return switch (v.charAt(0)) {
        case '1', 'd' -> SAMPLED_ONLY;
        case '0' -> NOT_SAMPLED_ONLY;
        default -> null;
      };
    }
    String[] parts = v.split("-", -1);
    if (parts.length < 2 || parts.length > 4) {
      return null;
    }
    String traceId = b3TraceId(parts[0]);
    if (traceId == null || !TraceIds.isValidId(parts[1], 16)) {
      return null;
    }
    Sampling sampling = Sampling.DEFERRED;
    if (parts.length >= 3) {
      sampling = switch (parts[2]) {
        case "1", "d" -> Sampling.SAMPLED;
        case "0" -> Sampling.NOT_SAMPLED;
        default -> null;
      };
      if (sampling == null) {
        return null;
      }
    }
    return new ParentContext(traceId, lower(parts[1]), sampling, null);
  }

  private static ParentContext parseB3Multi(Map<String, String> headers) {
    Sampling sampling = Sampling.DEFERRED;
    String flags = headers.get(B3_FLAGS);
    String sampled = headers.get(B3_SAMPLED);
    if (flags != null && flags.trim().equals("1")) {
      sampling = Sampling.SAMPLED; // debug implies sampled
    } else if (sampled != null) {
      String s = sampled.trim();
      if (s.equals("1") || s.equalsIgnoreCase("true")) {
        sampling = Sampling.SAMPLED;
      } else if (s.equals("0") || s.equalsIgnoreCase("false")) {
        sampling = Sampling.NOT_SAMPLED;
      }
    }
    String rawTrace = headers.get(B3_TRACE_ID);
    String rawSpan = headers.get(B3_SPAN_ID);
    String traceId = rawTrace == null ? null : b3TraceId(rawTrace.trim());
    String spanId = rawSpan == null ? null : rawSpan.trim();
    if (traceId != null && TraceIds.isValidId(spanId, 16)) {
      return new ParentContext(traceId, lower(spanId), sampling, null);
    }
    return switch (sampling) {
      case SAMPLED -> SAMPLED_ONLY;
      case NOT_SAMPLED -> NOT_SAMPLED_ONLY;
      case DEFERRED -> null;
    };
  }

  /** A B3 trace id of 16 or 32 digits as 32 (left-padded with zeros, as Zipkin does). */
  private static String b3TraceId(String id) {
    if (id.length() == 16 && TraceIds.isValidId(id, 16)) {
      return "0000000000000000" + lower(id);
    }
    return TraceIds.isValidId(id, 32) ? lower(id) : null;
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String lower(String hex) {
    for (int i = 0; i < hex.length(); i++) {
      if (hex.charAt(i) >= 'A' && hex.charAt(i) <= 'F') {
        return hex.toLowerCase(Locale.ROOT);
      }
    }
    return hex;
  }
}
