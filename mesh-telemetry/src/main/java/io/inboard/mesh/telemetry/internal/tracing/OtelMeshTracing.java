package io.inboard.mesh.telemetry.internal.tracing;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mesh's spans, on its own {@link SdkTracerProvider} (not the global one, so that meshes in
 * one JVM keep their own service names and exporters).
 *
 * <p>Per request: the parent comes from the headers (W3C, else B3 single, else B3 multi); a
 * caller's sampling decision is kept, a new trace is sampled at the side's
 * {@code randomSamplingPercentage}. A span that is sampled and has somewhere to go is recorded
 * by the SDK; any other span only gets ids and propagates them, so with 1 % sampling or no
 * collector a request costs a header parse, two random ids and the rewritten context.
 *
 * <p>{@link #configure} puts a policy in force: both sides' rules are compiled then, and the
 * exporter is replaced when the collectors changed.
 */
public final class OtelMeshTracing implements MeshTracing, AutoCloseable {

  static final Logger LOG = LoggerFactory.getLogger(OtelMeshTracing.class);

  /** How long a finished span waits before its batch is sent: {@value} ms. */
  public static final long EXPORT_DELAY_MILLIS = 1000;

  private static final String SCOPE = "io.inboard.mesh.telemetry";

  private final PeerIdentity self;
  private final Function<String, String> env;
  private final SpanExporters exporters;
  private final List<TraceExporter> fromEnvironment;
  private final SwappableSpanExporter exporter = new SwappableSpanExporter();
  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private volatile Config config;
  private boolean closed; // guarded by this

  /** The tracing in force: both sides compiled, and the collectors they export to. */
  private record Config(SideTracing server, SideTracing client, List<TraceExporter> exporters) {}

  /**
   * Tracing for the workload {@code self}, exporting where the environment variables say until
   * {@link #configure} is called (see {@link EnvironmentExporters}).
   */
  public static OtelMeshTracing create(PeerIdentity self) {
    return new OtelMeshTracing(self, System::getenv, SpanExporters.DEFAULT,
        Duration.ofMillis(EXPORT_DELAY_MILLIS));
  }

  OtelMeshTracing(PeerIdentity self, Function<String, String> env, SpanExporters exporters,
      Duration exportDelay) {
    this.self = requireNonNull(self, "self");
    this.env = requireNonNull(env, "env");
    this.exporters = requireNonNull(exporters, "exporters");
    this.fromEnvironment = environmentExporters(env);
    this.provider = SdkTracerProvider.builder()
        .setResource(resource(self))
        // The decision is made before the SDK sees a span: it only gets the ones to record.
        .setSampler(Sampler.alwaysOn())
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(exportDelay)
            .build())
        .build();
    this.tracer = provider.get(SCOPE);
    configure(TelemetryPolicy.DEFAULT);
  }

  /**
   * Istio's span service name, {@code APP_LABEL_AND_NAMESPACE}: {@code <app>.<namespace>}, the
   * workload name standing in for a missing {@code app} label.
   */
  static String serviceName(PeerIdentity self) {
    String app = PeerIdentity.UNKNOWN_VALUE.equals(self.app()) ? self.workload() : self.app();
    return app + "." + self.namespace();
  }

  /**
   * Puts {@code policy}'s tracing in force for spans that start from now on: sampling,
   * {@code disableSpanReporting}, custom tags, and the collectors ({@code policy.exporters()},
   * else the environment's).
   *
   * @throws IllegalArgumentException for a collector that cannot be used; the tracing in force
   *     stays
   */
  public synchronized void configure(TelemetryPolicy policy) {
    requireNonNull(policy, "policy");
    if (closed) {
      return;
    }
    List<TraceExporter> wanted =
        policy.exporters().isEmpty() ? fromEnvironment : policy.exporters();
    Config previous = config;
    boolean changed = previous == null || !previous.exporters().equals(wanted);
    var next = changed && !wanted.isEmpty() ? exporters.create(wanted) : null;
    boolean exporting = !wanted.isEmpty();
    Config compiled = new Config(
        SideTracing.of(policy.server().tracing(), self, exporting, env),
        SideTracing.of(policy.client().tracing(), self, exporting, env), wanted);
    if (changed) {
      // New collectors first, so that no span recorded under the new config finds none.
      exporter.swap(next);
      if (!wanted.isEmpty() || previous != null) {
        LOG.info("Tracing for {}: {}", serviceName(self),
            wanted.isEmpty() ? "spans not exported" : "spans exported to " + wanted);
      }
    }
    config = compiled;
  }

  @Override
  public ServerSpan startServer(String name, Protocol protocol, RequestContext inbound) {
    try {
      SideTracing side = config.server();
      ParentContext parent = TraceHeaders.extract(inbound.headers());
      boolean sampled = sampled(parent, side);
      String parentSpanId = parent != null ? parent.spanId() : null;
      String traceState = parent != null ? parent.traceState() : null;
      if (sampled && side.recording()) {
        Span span = start(name, SpanKind.SERVER, parent, side);
        SpanContext sc = span.getSpanContext();
        RequestContext context = TraceHeaders.rewrite(inbound, sc.getTraceId(), sc.getSpanId(),
            parentSpanId, true, traceState);
        return new RecordedServerSpan(span, name, context, side);
      }
      String traceId = parent != null && parent.hasIds() ? parent.traceId()
          : TraceIds.newTraceId();
      return new PropagatingSpans.Server(TraceHeaders.rewrite(inbound, traceId,
          TraceIds.newSpanId(), parentSpanId, sampled, traceState));
    } catch (RuntimeException e) {
      LOG.debug("Server span {} not started", name, e);
      return MeshTracing.NOOP.startServer(name, protocol, inbound);
    }
  }

  @Override
  public CallSpan startCall(String name, Protocol protocol, RequestContext parentContext) {
    try {
      SideTracing side = config.client();
      ParentContext parent = TraceHeaders.extract(parentContext.headers());
      boolean sampled = sampled(parent, side);
      String traceState = parent != null ? parent.traceState() : null;
      if (sampled && side.recording()) {
        Span span = start(name, SpanKind.INTERNAL, parent, side);
        String requestId = parentContext.requestId();
        return new RecordedCallSpan(tracer, span, name, protocol, side,
            requestId == null ? "" : requestId, traceState);
      }
      String traceId = parent != null && parent.hasIds() ? parent.traceId()
          : TraceIds.newTraceId();
      return new PropagatingSpans.Call(traceId, TraceIds.newSpanId(), sampled, traceState);
    } catch (RuntimeException e) {
      LOG.debug("Call span {} not started", name, e);
      return CallSpan.NOOP;
    }
  }

  /**
   * Sends the spans that have ended (waiting up to 10 s) and stops exporting; later spans only
   * propagate. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      // A shut-down SDK hands out spans with invalid ids: stop asking it for any.
      Config c = config;
      config = new Config(c.server().withoutRecording(), c.client().withoutRecording(),
          c.exporters());
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  private static boolean sampled(ParentContext parent, SideTracing side) {
    if (parent == null || parent.sampling() == ParentContext.Sampling.DEFERRED) {
      return side.sampleNewTrace();
    }
    return parent.sampling() == ParentContext.Sampling.SAMPLED;
  }

  private Span start(String name, SpanKind kind, ParentContext parent, SideTracing side) {
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
    if (parent != null && parent.hasIds()) {
      builder.setParent(Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
          parent.traceId(), parent.spanId(), TraceFlags.getSampled(), TraceState.getDefault()))));
    } else {
      builder.setNoParent();
    }
    side.tag(builder);
    return builder.startSpan();
  }

  private static Resource resource(PeerIdentity self) {
    return Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), serviceName(self),
        AttributeKey.stringKey("service.version"), self.canonicalRevision(),
        AttributeKey.stringKey("k8s.namespace.name"), self.namespace())));
  }

  private static List<TraceExporter> environmentExporters(Function<String, String> env) {
    try {
      return EnvironmentExporters.read(env);
    } catch (IllegalArgumentException e) {
      LOG.warn("Tracing: spans are not exported: {}", e.getMessage());
      return List.of();
    }
  }
}
