package io.inboard.mesh.http.internal.telemetry;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * A telemetry that keeps what the HTTP plane hands it: every report, every span (W3C
 * {@code traceparent} contexts, so what goes on the wire can be matched to spans), and the
 * health counters and gauges. Install it with {@link #installOn} before building clients or
 * hooks.
 */
public final class RecordingTelemetry implements MeshTelemetry {

  /** One span: its kind, name, ids, and how it ended ({@code null} fields until then). */
  public static final class Span {
    public final String kind; // SERVER, CALL, ATTEMPT
    public final String name;
    public final String traceId;
    public final String spanId;
    public final String parentSpanId; // "" for a root
    public final int attempt;
    public volatile RequestReport report; // SERVER and CALL
    public volatile boolean ended;
    public volatile int responseCode = -1; // ATTEMPT
    public volatile String flags; // ATTEMPT
    public volatile String upstreamHost; // ATTEMPT
    public volatile Throwable failure; // ATTEMPT

    Span(String kind, String name, String traceId, String parentSpanId, int attempt) {
      this.kind = kind;
      this.name = name;
      this.traceId = traceId;
      this.spanId = hex(16);
      this.parentSpanId = parentSpanId;
      this.attempt = attempt;
    }

    /** This span as a W3C {@code traceparent}. */
    public String traceparent() {
      return "00-" + traceId + "-" + spanId + "-01";
    }

    @Override
    public String toString() {
      return kind + " " + name + " " + spanId + " <- " + parentSpanId;
    }
  }

  public final List<RequestReport> reports = new CopyOnWriteArrayList<>();
  public final List<Span> spans = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();
  private volatile Set<String> captured = Set.of();

  private final MeshMetrics metrics = reports::add;
  private final MeshTracing tracing = new MeshTracing() {
    @Override
    public ServerSpan startServer(String name, Protocol protocol, RequestContext inbound) {
      String[] parent = parse(inbound.header("traceparent"));
      Span s = new Span("SERVER", name, parent[0], parent[1], 0);
      spans.add(s);
      Map<String, String> headers = new HashMap<>(inbound.headers());
      headers.put("traceparent", s.traceparent());
      RequestContext ctx = new RequestContext(headers, inbound.peerPrincipal());
      return new ServerSpan() {
        @Override
        public RequestContext context() {
          return ctx;
        }

        @Override
        public void end(RequestReport report) {
          s.report = report;
          s.ended = true;
        }
      };
    }

    @Override
    public CallSpan startCall(String name, Protocol protocol, RequestContext parent) {
      String[] p = parse(parent.header("traceparent"));
      Span call = new Span("CALL", name, p[0], p[1], 0);
      spans.add(call);
      return new CallSpan() {
        @Override
        public Attempt startAttempt(int attempt) {
          Span a = new Span("ATTEMPT", name, call.traceId, call.spanId, attempt);
          spans.add(a);
          return new Attempt() {
            @Override
            public void inject(BiConsumer<String, String> header) {
              header.accept("traceparent", a.traceparent());
            }

            @Override
            public void end(int responseCode, String grpcStatus, String responseFlags,
                String upstreamHost, Throwable failure) {
              a.responseCode = responseCode;
              a.flags = responseFlags;
              a.upstreamHost = upstreamHost;
              a.failure = failure;
              a.ended = true;
            }
          };
        }

        @Override
        public void end(RequestReport report) {
          call.report = report;
          call.ended = true;
        }
      };
    }
  };

  private final MeshHealthMetrics health = new MeshHealthMetrics() {
    @Override
    public void count(Counter counter, String cluster) {
      counters.computeIfAbsent(counter + "|" + cluster, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public AutoCloseable gauge(Gauge gauge, String cluster, LongSupplier value) {
      String key = gauge + "|" + cluster;
      gauges.put(key, value);
      return () -> gauges.remove(key, value);
    }
  };

  /** Makes a new recorder the HTTP plane's telemetry for {@code mesh}. */
  public static RecordingTelemetry installOn(Mesh mesh) {
    RecordingTelemetry t = new RecordingTelemetry();
    InternalMesh.replaceTelemetry(mesh, t);
    return t;
  }

  /** Asks the plane to capture these request headers. */
  public RecordingTelemetry capture(String... headers) {
    captured = Set.of(headers);
    return this;
  }

  /** The count of {@code counter} for {@code cluster} so far. */
  public long count(MeshHealthMetrics.Counter counter, String cluster) {
    AtomicLong n = counters.get(counter + "|" + cluster);
    return n == null ? 0 : n.get();
  }

  /** The value of {@code gauge} for {@code cluster} now, or empty if none is registered. */
  public Optional<Long> gauge(MeshHealthMetrics.Gauge gauge, String cluster) {
    LongSupplier s = gauges.get(gauge + "|" + cluster);
    return s == null ? Optional.empty() : Optional.of(s.getAsLong());
  }

  /** The reports whose destination service starts with {@code host}. */
  public List<RequestReport> reportsFor(String host) {
    return reports.stream().filter(r -> r.destinationService().startsWith(host + "."))
        .collect(Collectors.toList());
  }

  /** The spans of {@code kind} whose parent is {@code parent}. */
  public List<Span> children(Span parent, String kind) {
    return spans.stream().filter(s -> s.kind.equals(kind) && s.parentSpanId.equals(parent.spanId))
        .collect(Collectors.toList());
  }

  /** The span with {@code spanId}. */
  public Optional<Span> span(String spanId) {
    return spans.stream().filter(s -> s.spanId.equals(spanId)).findFirst();
  }

  // {traceId, parentSpanId}: a new trace when there is no traceparent
  private static String[] parse(String traceparent) {
    if (traceparent != null) {
      String[] f = traceparent.split("-");
      if (f.length == 4) {
        return new String[] {f[1], f[2]};
      }
    }
    return new String[] {hex(32), ""};
  }

  private static String hex(int digits) {
    StringBuilder b = new StringBuilder(digits);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < digits; i++) {
      b.append(Character.forDigit(r.nextInt(16), 16));
    }
    return b.toString();
  }

  @Override
  public MeshMetrics metrics() {
    return metrics;
  }

  @Override
  public MeshTracing tracing() {
    return tracing;
  }

  @Override
  public MeshHealthMetrics health() {
    return health;
  }

  @Override
  public Set<String> capturedHeaders() {
    return captured;
  }

  @Override
  public void configure(TelemetryPolicy policy) {}

  @Override
  public TelemetryPolicy policy() {
    return TelemetryPolicy.DEFAULT;
  }

  @Override
  public Optional<InetSocketAddress> adminAddress() {
    return Optional.empty();
  }

  @Override
  public void close() {}
}
