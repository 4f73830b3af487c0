package io.inboard.mesh.api.context;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Which inbound headers a workload carries onwards on its outbound calls, as Istio's tracing
 * docs ask applications to do, and which Inboard does for them.
 *
 * <p>{@link #DEFAULT_HEADERS}: {@code x-request-id} (generated as a random UUID when a request
 * has none), W3C {@code traceparent} and {@code tracestate}, B3 multi-header
 * ({@code x-b3-traceid}, {@code x-b3-spanid}, {@code x-b3-parentspanid}, {@code x-b3-sampled},
 * {@code x-b3-flags}) and single-header {@code b3}, {@code x-ot-span-context} and W3C
 * {@code baggage}. Values go onwards unchanged: Inboard propagates trace context but does not
 * start spans.
 *
 * @param headers header names to propagate besides the defaults, which are always included
 *     first; stored lower case, without duplicates
 * @throws IllegalArgumentException for a name that is not a header name, or is hop-by-hop
 *     ({@code host}, {@code content-length}, pseudo-headers) or a peer-metadata header
 *     ({@code x-inboard-peer}, {@code x-envoy-peer-metadata}, {@code x-envoy-peer-metadata-id})
 */
public record HeaderPropagation(List<String> headers) {

  /** The request id header; always propagated, generated when absent. */
  public static final String REQUEST_ID = "x-request-id";

  /** What every workload propagates; {@code MeshBuilder.propagateHeaders} adds to it. */
  public static final List<String> DEFAULT_HEADERS = List.of(REQUEST_ID, "traceparent",
      "tracestate", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled",
      "x-b3-flags", "b3", "x-ot-span-context", "baggage");

  /** The defaults alone. */
  public static final HeaderPropagation DEFAULT = new HeaderPropagation(DEFAULT_HEADERS);

  public HeaderPropagation {
    requireNonNull(headers, "headers");
    Set<String> names = new LinkedHashSet<>(DEFAULT_HEADERS);
    for (String h : headers) {
      names.add(checkName(h));
    }
    headers = List.copyOf(names);
  }

  /**
   * The context of an inbound request, read with {@code header} (name in lower case to value,
   * or {@code null}); generates {@code x-request-id} when the request has none.
   */
  public RequestContext extract(Function<String, String> header) {
    Map<String, String> values = new LinkedHashMap<>(headers.size() * 2);
    for (String name : headers) {
      String v = header.apply(name);
      if (v != null && !v.isEmpty()) {
        values.put(name, v);
      }
    }
    if (!values.containsKey(REQUEST_ID)) {
      values.put(REQUEST_ID, newRequestId());
    }
    return new RequestContext(values);
  }

  /**
   * A random (version 4) UUID. {@link UUID#randomUUID()} draws from {@code SecureRandom}, which
   * is slower and can contend across threads; an id for log correlation needs no secrecy.
   */
  static String newRequestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & ~(0xC000_0000_0000_0000L)) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString();
  }

  private static String checkName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      throw new IllegalArgumentException("propagateHeaders: '" + name
          + "' (expected: an HTTP header name, such as end-user)");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith(":") || lower.equals("host") || lower.equals("content-length")
        || lower.equals(PeerIdentity.HEADER) || lower.equals(EnvoyPeerMetadata.HEADER)
        || lower.equals(EnvoyPeerMetadata.ID_HEADER)) {
      throw new IllegalArgumentException("propagateHeaders: '" + name
          + "' (expected: an end-to-end header; hop-by-hop and mesh headers are not propagated)");
    }
    return lower;
  }

}
