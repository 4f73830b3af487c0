package io.inboard.mesh.telemetry.internal.metrics;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.telemetry.IstioMetrics;
import io.inboard.mesh.telemetry.internal.accesslog.AccessLogOutput;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each {@link RequestReport} as Istio's request metrics on OpenTelemetry instruments and,
 * when the policy's access log covers it, writes its access-log line. Per request: read the
 * policy in force (one volatile read), look the label sets up in the side's cache, add to the
 * instruments, then test the access-log rule (no formatting or I/O when it is off).
 *
 * <p>The instruments carry Istio's Prometheus names; the Prometheus exporter keeps them
 * (counters end in {@code _total}, and a unit already at the end of a name is not repeated).
 */
public final class IstioRequestRecorder implements MeshMetrics {

  private static final Logger log = LoggerFactory.getLogger(IstioRequestRecorder.class);

  private final LongCounter requests;
  private final DoubleHistogram duration;
  private final DoubleHistogram requestBytes;
  private final DoubleHistogram responseBytes;
  private final LongCounter requestMessages;
  private final LongCounter responseMessages;
  private final AccessLogOutput accessLog;
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private volatile Plan plan;

  /** Instruments on {@code meter}; access-log lines go to {@code accessLog}. */
  public IstioRequestRecorder(Meter meter, AccessLogOutput accessLog) {
    this.accessLog = requireNonNull(accessLog, "accessLog");
    requests = meter.counterBuilder(IstioMetrics.REQUESTS_TOTAL)
        .setDescription("Requests, counted by the client (source) and the server (destination)")
        .build();
    duration = meter.histogramBuilder(IstioMetrics.REQUEST_DURATION).setUnit("ms")
        .setDescription("Request duration, from request start to response end")
        .setExplicitBucketBoundariesAdvice(IstioMetrics.BUCKETS).build();
    requestBytes = meter.histogramBuilder(IstioMetrics.REQUEST_BYTES).setUnit("By")
        .setDescription("Request size").setExplicitBucketBoundariesAdvice(IstioMetrics.BUCKETS)
        .build();
    responseBytes = meter.histogramBuilder(IstioMetrics.RESPONSE_BYTES).setUnit("By")
        .setDescription("Response size").setExplicitBucketBoundariesAdvice(IstioMetrics.BUCKETS)
        .build();
    requestMessages = meter.counterBuilder(IstioMetrics.REQUEST_MESSAGES_TOTAL)
        .setDescription("gRPC messages sent by the client").build();
    responseMessages = meter.counterBuilder(IstioMetrics.RESPONSE_MESSAGES_TOTAL)
        .setDescription("gRPC messages sent by the server").build();
    apply(TelemetryPolicy.DEFAULT);
  }

  /**
   * Puts {@code policy}'s metric and access-log rules in force for the reports recorded from
   * now on; the label sets cached under the previous policy are dropped.
   */
  public void apply(TelemetryPolicy policy) {
    requireNonNull(policy, "policy");
    SideMetrics client = new SideMetrics(policy.client().metrics());
    SideMetrics server = new SideMetrics(policy.server().metrics());
    plan = new Plan(policy, client, server,
        client.readsHeaders() || policy.client().accessLog().enabled(),
        server.readsHeaders() || policy.server().accessLog().enabled());
  }

  @Override
  public boolean readsDetails(Reporter reporter) {
    Plan p = plan;
    return reporter == Reporter.SOURCE ? p.clientReadsDetails : p.serverReadsDetails;
  }

  @Override
  public void record(RequestReport r) {
    try {
      Plan p = plan;
      boolean source = r.reporter() == Reporter.SOURCE;
      SideMetrics side = source ? p.client : p.server;
      if (side.anyEnabled()) {
        add(side.labels(r), r);
      }
      AccessLogRules rules = p.policy.side(r.reporter()).accessLog();
      if (rules.logs(r.responseCode())) {
        accessLog.write(r, rules.encoding());
      }
    } catch (RuntimeException e) {
      // must not throw into a request; say it once, as the next reports will fail alike
      if (failureLogged.compareAndSet(false, true)) {
        log.warn("Recording a request report failed; further failures are not logged", e);
      }
    }
  }

  /** Label sets cached by the policy in force, per side (for tests). */
  int cachedLabelSets(Reporter reporter) {
    Plan p = plan;
    return (reporter == Reporter.SOURCE ? p.client : p.server).cachedLabelSets();
  }

  private void add(Attributes[] a, RequestReport r) {
    Attributes x = a[IstioMetric.REQUESTS.ordinal()];
    if (x != null) {
      requests.add(1, x);
    }
    x = a[IstioMetric.DURATION.ordinal()];
    if (x != null) {
      duration.record(r.durationNanos() / 1_000_000.0, x);
    }
    x = a[IstioMetric.REQUEST_BYTES.ordinal()];
    if (x != null && r.requestBytes() >= 0) {
      requestBytes.record(r.requestBytes(), x);
    }
    x = a[IstioMetric.RESPONSE_BYTES.ordinal()];
    if (x != null && r.responseBytes() >= 0) {
      responseBytes.record(r.responseBytes(), x);
    }
    x = a[IstioMetric.REQUEST_MESSAGES.ordinal()];
    if (x != null && r.requestMessages() >= 0) {
      requestMessages.add(r.requestMessages(), x);
    }
    x = a[IstioMetric.RESPONSE_MESSAGES.ordinal()];
    if (x != null && r.responseMessages() >= 0) {
      responseMessages.add(r.responseMessages(), x);
    }
  }

  /** A policy and its compiled metric rules, swapped as one. */
  private record Plan(TelemetryPolicy policy, SideMetrics client, SideMetrics server,
      boolean clientReadsDetails, boolean serverReadsDetails) {}
}
