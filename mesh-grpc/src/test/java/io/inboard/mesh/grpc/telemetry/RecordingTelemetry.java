package io.inboard.mesh.grpc.telemetry;

import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * A mesh telemetry that keeps what the data plane hands it: every report, every health count,
 * and spans with W3C ids (a server span continues the inbound {@code traceparent}, a call span
 * its parent context's, an attempt span its call's, and an attempt injects its own id), so tests
 * can follow a trace across real calls. Install it with {@code InternalMesh.replaceTelemetry} before
 * building channels and servers.
 */
final class RecordingTelemetry implements MeshTelemetry {

  final List<RequestReport> reports = new CopyOnWriteArrayList<>();
  final List<String> health = new CopyOnWriteArrayList<>();
  final List<Span> spans = new CopyOnWriteArrayList<>();
  private volatile Set<String> captured = Set.of();
  /** When set, recording a report throws, as a broken telemetry backend would. */
  volatile boolean broken;

  /** One recorded span; {@code kind} is SERVER, CALL or ATTEMPT. */
  static final class Span {
    final String kind;
    final String name;
    final String traceId;
    final String spanId;
    final String parentId;
    final int attempt;
    volatile RequestReport report;
    volatile String outcome; // attempts: "code status flags host"
    volatile Throwable failure;

    Span(String kind, String name, String traceId, String parentId, int attempt) {
      this.kind = kind;
      this.name = name;
      this.traceId = traceId;
      this.spanId = hex(16);
      this.parentId = parentId;
      this.attempt = attempt;
    }

    String traceparent() {
      return "00-" + traceId + "-" + spanId + "-01";
    }

    boolean ended() {
      return report != null || outcome != null;
    }

    @Override
    public String toString() {
      return kind + " " + name + " " + spanId + " parent " + parentId + " #" + attempt + " "
          + outcome;
    }
  }

  void captureHeaders(Set<String> names) {
    captured = Set.copyOf(names);
  }

  /** Waits for {@code n} reports by {@code reporter}, and returns them. */
  List<RequestReport> awaitReports(RequestReport.Reporter reporter, int n) {
    await().until(() -> reports(reporter).size() >= n);
    return reports(reporter);
  }

  /** Waits for one report by {@code reporter}, and returns it. */
  RequestReport awaitReport(RequestReport.Reporter reporter) {
    return awaitReports(reporter, 1).get(0);
  }

  List<RequestReport> reports(RequestReport.Reporter reporter) {
    return reports.stream().filter(r -> r.reporter() == reporter).toList();
  }

  List<Span> spans(String kind) {
    return spans.stream().filter(s -> s.kind.equals(kind)).toList();
  }

  @Override
  public MeshMetrics metrics() {
    return report -> {
      if (broken) {
        throw new IllegalStateException("broken on purpose");
      }
      reports.add(report);
    };
  }

  @Override
  public MeshTracing tracing() {
    return tracing;
  }

  @Override
  public MeshHealthMetrics health() {
    return healthMetrics;
  }

  @Override
  public void configure(TelemetryPolicy policy) {}

  @Override
  public TelemetryPolicy policy() {
    return TelemetryPolicy.DEFAULT;
  }

  @Override
  public Set<String> capturedHeaders() {
    return captured;
  }

  @Override
  public Optional<InetSocketAddress> adminAddress() {
    return Optional.empty();
  }

  @Override
  public void close() {}

  private final MeshHealthMetrics healthMetrics = new MeshHealthMetrics() {
    @Override
    public void count(Counter counter, String cluster) {
      health.add(counter.name() + " " + cluster);
    }

    @Override
    public AutoCloseable gauge(Gauge gauge, String cluster, LongSupplier value) {
      return () -> { };
    }
  };

  private final MeshTracing tracing = new MeshTracing() {
    @Override
    public ServerSpan startServer(String name, Protocol protocol, RequestContext inbound) {
      Span span = start("SERVER", name, inbound, 0);
      Map<String, String> headers = new LinkedHashMap<>(inbound.headers());
      TRACE_HEADERS.forEach(headers::remove);
      headers.put("traceparent", span.traceparent());
      RequestContext context = new RequestContext(headers, inbound.peerPrincipal());
      return new ServerSpan() {
        @Override
        public RequestContext context() {
          return context;
        }

        @Override
        public void end(RequestReport report) {
          span.report = report;
        }
      };
    }

    @Override
    public CallSpan startCall(String name, Protocol protocol, RequestContext parent) {
      Span call = start("CALL", name, parent, 0);
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
              a.failure = failure;
              a.outcome = responseCode + " " + grpcStatus + " " + responseFlags + " "
                  + upstreamHost;
            }
          };
        }

        @Override
        public void end(RequestReport report) {
          call.report = report;
        }
      };
    }

    private Span start(String kind, String name, RequestContext parent, int attempt) {
      String tp = parent.header("traceparent");
      String[] f = tp == null ? null : tp.split("-");
      Span s = f != null && f.length == 4 ? new Span(kind, name, f[1], f[2], attempt)
          : new Span(kind, name, hex(32), null, attempt);
      spans.add(s);
      return s;
    }
  };

  static String hex(int digits) {
    StringBuilder b = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      b.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return b.toString();
  }

  static List<String> ids(List<Span> spans) {
    List<String> ids = new ArrayList<>();
    spans.forEach(s -> ids.add(s.spanId));
    return ids;
  }
}
