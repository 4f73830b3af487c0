package io.inboard.mesh.http.internal.transport;

import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One try of a call: the caller's request sent to an endpoint's address, with the few headers
 * a try changes (its span's trace headers, the logical authority, a {@code host} moved to
 * {@link Requests#UPSTREAM_AUTHORITY_HEADER}) kept beside the caller's instead of merged into a
 * copy. The JDK's {@code HttpHeaders} of the whole is built only when something asks for it
 * (the JDK transport does; the Netty transport reads {@link #forEachHeader}).
 */
final class TryRequest extends LayeredRequest {

  private static final Set<String> TRACE_HEADERS = Set.copyOf(MeshTracing.TRACE_HEADERS);

  /** What the JDK's request builder makes: its headers were checked as they were added. */
  private static final Class<?> JDK_BUILT =
      HttpRequest.newBuilder(URI.create("http://localhost/")).build().getClass();

  private final URI uri;
  private final long timeoutNanos;
  /** The base's trace headers are replaced by the span's. */
  private final boolean dropTrace;
  /** The base's {@code host} (and authority override) are replaced by {@link #added}'s. */
  private final boolean dropHost;
  /** Headers this try adds: name (lower case), value, name, value, ... */
  private final List<String> added = new ArrayList<>(8);

  TryRequest(HttpRequest base, URI uri, long timeoutNanos, MeshTracing.Attempt span) {
    super(base);
    this.uri = uri;
    this.timeoutNanos = timeoutNanos;
    String host = Requests.header(base, "host");
    this.dropHost = host != null;
    if (host != null) {
      add(Requests.UPSTREAM_AUTHORITY_HEADER, host);
    }
    this.dropTrace = span != null;
    if (span != null) {
      span.inject(this::add);
    }
    String authority = base.uri().getRawAuthority();
    if (authority != null && Requests.header(base, Requests.AUTHORITY_HEADER) == null) {
      add(Requests.AUTHORITY_HEADER, authority);
    }
  }

  private void add(String name, String value) {
    added.add(name.toLowerCase(Locale.ROOT));
    added.add(value);
  }

  private boolean dropped(String lowerName) {
    return (dropHost && (lowerName.equals("host")
            || lowerName.equals(Requests.UPSTREAM_AUTHORITY_HEADER)))
        || (dropTrace && TRACE_HEADERS.contains(lowerName));
  }

  @Override
  public String firstHeader(String lowerName) {
    if (!dropped(lowerName)) {
      String v = Requests.header(base, lowerName);
      if (v != null) {
        return v;
      }
    }
    for (int i = 0; i < added.size(); i += 2) {
      if (added.get(i).equals(lowerName)) {
        return added.get(i + 1);
      }
    }
    return null;
  }

  @Override
  public List<String> allHeaders(String lowerName) {
    List<String> out = new ArrayList<>(dropped(lowerName) ? List.of()
        : Requests.headers(base, lowerName));
    for (int i = 0; i < added.size(); i += 2) {
      if (added.get(i).equals(lowerName)) {
        out.add(added.get(i + 1));
      }
    }
    return out;
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> action) {
    if (!dropHost && !dropTrace) {
      Requests.forEachHeader(base, action);
    } else {
      Requests.forEachHeader(base, (n, v) -> {
        if (!dropped(n.toLowerCase(Locale.ROOT))) {
          action.accept(n, v);
        }
      });
    }
    for (int i = 0; i < added.size(); i += 2) {
      action.accept(added.get(i), added.get(i + 1));
    }
  }

  @Override
  public boolean headersValidated() {
    return base instanceof HeaderView v ? v.headersValidated() : base.getClass() == JDK_BUILT;
  }

  @Override
  public Optional<Duration> timeout() {
    return timeoutNanos > 0 ? Optional.of(Duration.ofNanos(timeoutNanos)) : base.timeout();
  }

  @Override
  public URI uri() {
    return uri;
  }
}
