package io.inboard.benchmarks.telemetry;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.Attempt;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.CallSpan;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.ServerSpan;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Exactly the telemetry work a data plane does per call, on the real {@code mesh-telemetry}
 * implementation ({@code InternalMesh.telemetry(mesh)} of two real meshes, {@code bench-client}
 * and {@code bench-server}), in each {@link TelemetryMode}:
 *
 * <ul>
 *   <li>{@link #client}: an outbound HTTP call made outside any request ({@code startCall} on
 *       {@link RequestContext#EMPTY}: a new trace, sampled at the client's rate),
 *       {@code startAttempt}, {@code inject} into the request's header map, {@code Attempt.end},
 *       the response's peer metadata read ({@code x-envoy-peer-metadata} decoded, as the planes
 *       read it first), a full {@code reporter="source"}
 *       {@link RequestReport} (with {@link RequestDetails}) built and recorded,
 *       {@code CallSpan.end}.
 *   <li>{@link #server}: an inbound request without trace headers (a new trace at the server's
 *       rate): {@code startServer}, the caller's peer metadata read, a full
 *       {@code reporter="destination"} report built and recorded, {@code ServerSpan.end}.
 *   <li>{@link #hop}: both sides of one call, the server reading the headers the client's attempt
 *       injected (so it follows the client's sampling decision): what one call costs the mesh.
 * </ul>
 *
 * In mode {@code off} the tracing calls go to {@code MeshTracing.NOOP} and no report is built
 * (the planes skip it when metrics and tracing are both no-ops); building the report is thus
 * counted as telemetry's cost. The header map with the peer headers ({@code x-inboard-peer},
 * {@code x-envoy-peer-metadata} and its id) and the server's {@link RequestContext} are made in
 * every mode (a plane sends and makes them anyway). Spans go to a loopback {@link ZipkinSink}:
 * at 100 % the exporter's thread runs beside the measured one, and the SDK's queue (2048 spans)
 * drops what it cannot keep up with, so that mode's figures are a lower bound here;
 * {@link TelemetryPathCpu} and the end-to-end benchmark, at a fixed rate, show its full cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TelemetryPathBenchmark {

  @Param({"off", "metrics", "metrics_1pct", "metrics_100pct"})
  public String mode;

  private static final String SERVICE = "echo.default.svc.cluster.local";
  private static final String UPSTREAM_HOST = "127.0.0.1:18080";

  /** Where spans go; {@code null}: a {@link ZipkinSink} started here (as in JMH's forks). */
  java.net.URI collector;

  private ZipkinSink sink;
  private Mesh clientMesh;
  private Mesh serverMesh;
  private MeshMetrics clientMetrics;
  private MeshTracing clientTracing;
  private MeshMetrics serverMetrics;
  private MeshTracing serverTracing;
  private boolean clientReports;
  private boolean serverReports;
  private PeerIdentity clientSelf;
  private PeerIdentity serverSelf;
  private String clientPeerHeader;
  private String serverPeerHeader;
  private String clientEnvoyPeer;
  private String clientEnvoyPeerId;
  private String serverEnvoyPeer;
  private RequestContext edgeRequest;

  @Setup(Level.Trial)
  public void start() throws Exception {
    TelemetryMode m = TelemetryMode.parse(mode);
    if (m.on() && collector == null) {
      sink = ZipkinSink.start(0);
      collector = sink.uri();
    }
    // off: the meshes are built without telemetry, so their telemetry is MeshTelemetry.NONE
    clientMesh = TelemetryMeshes.build("bench-client", m, new StaticDiscovery(), collector);
    serverMesh = TelemetryMeshes.build("bench-server", m, new StaticDiscovery(), collector);
    MeshTelemetry client = InternalMesh.telemetry(clientMesh);
    MeshTelemetry server = InternalMesh.telemetry(serverMesh);
    clientMetrics = client.metrics();
    clientTracing = client.tracing();
    serverMetrics = server.metrics();
    serverTracing = server.tracing();
    clientReports = clientMetrics != MeshMetrics.NOOP || clientTracing != MeshTracing.NOOP;
    serverReports = serverMetrics != MeshMetrics.NOOP || serverTracing != MeshTracing.NOOP;
    clientSelf = PeerIdentity.of(clientMesh);
    serverSelf = PeerIdentity.of(serverMesh);
    clientPeerHeader = clientSelf.toHeader();
    serverPeerHeader = serverSelf.toHeader();
    clientEnvoyPeer = EnvoyPeerMetadata.encode(clientSelf);
    clientEnvoyPeerId = EnvoyPeerMetadata.id(clientSelf, "127.0.0.1");
    serverEnvoyPeer = EnvoyPeerMetadata.encode(serverSelf);
    edgeRequest = new RequestContext(Map.of("x-request-id", "4f1c0b0e-6c3a-4b61-9d5e-1a2b3c4d5e6f",
        PeerIdentity.HEADER, clientPeerHeader, EnvoyPeerMetadata.HEADER, clientEnvoyPeer,
        EnvoyPeerMetadata.ID_HEADER, clientEnvoyPeerId, "user-agent", "Java-http-client/17"));
  }

  @TearDown(Level.Trial)
  public void stop() {
    clientMesh.close();
    serverMesh.close();
    if (sink != null) {
      sink.close();
    }
  }

  @Benchmark
  public Object client() {
    return clientCall(RequestContext.EMPTY, null);
  }

  @Benchmark
  public Object server() {
    return serverRequest(edgeRequest);
  }

  @Benchmark
  public Object hop() {
    return clientCall(RequestContext.EMPTY, this);
  }

  /** One outbound call; with {@code hop} set, the server's side runs on the injected headers. */
  private Object clientCall(RequestContext parent, TelemetryPathBenchmark hop) {
    long start = System.nanoTime();
    CallSpan call = clientTracing.startCall("GET", Protocol.HTTP, parent);
    Attempt attempt = call.startAttempt(1);
    Map<String, String> wire = new HashMap<>(16);
    wire.put("x-request-id", "4f1c0b0e-6c3a-4b61-9d5e-1a2b3c4d5e6f");
    wire.put(PeerIdentity.HEADER, clientPeerHeader);
    wire.put(EnvoyPeerMetadata.HEADER, clientEnvoyPeer);
    wire.put(EnvoyPeerMetadata.ID_HEADER, clientEnvoyPeerId);
    attempt.inject(wire::put);
    Object served = hop == null ? wire : serverRequest(new RequestContext(wire));
    attempt.end(200, "", "-", UPSTREAM_HOST, null);
    if (!clientReports) {
      return served;
    }
    long nanos = System.nanoTime() - start;
    RequestReport report = RequestReport.builder(Reporter.SOURCE, Protocol.HTTP)
        .source(clientSelf).destination(EnvoyPeerMetadata.read(serverEnvoyPeer, serverPeerHeader))
        .destinationService(SERVICE).responseCode(200).durationNanos(nanos)
        .requestBytes(0).responseBytes(1024)
        .details(RequestDetails.builder().startEpochMillis(System.currentTimeMillis())
            .method("GET").path("/").protocolVersion("HTTP/1.1").authority("echo:80")
            .userAgent("Java-http-client/17").requestId(wire.get("x-request-id"))
            .upstreamHost(UPSTREAM_HOST)
            .upstreamCluster("outbound|80||echo.default.svc.cluster.local")
            .routeName("default").responseCodeDetails("via_upstream")
            .upstreamServiceTimeMillis(nanos / 1_000_000).attempts(1).build())
        .build();
    clientMetrics.record(report);
    call.end(report);
    return report;
  }

  private Object serverRequest(RequestContext inbound) {
    long start = System.nanoTime();
    ServerSpan span = serverTracing.startServer("GET", Protocol.HTTP, inbound);
    RequestContext context = span.context();
    if (!serverReports) {
      span.end(null);
      return context;
    }
    RequestReport report = RequestReport.builder(Reporter.DESTINATION, Protocol.HTTP)
        .source(EnvoyPeerMetadata.read(inbound.header(EnvoyPeerMetadata.HEADER),
            inbound.header(PeerIdentity.HEADER)))
        .destination(serverSelf).destinationService(SERVICE).responseCode(200)
        .durationNanos(System.nanoTime() - start).requestBytes(0).responseBytes(1024)
        .details(RequestDetails.builder().startEpochMillis(System.currentTimeMillis())
            .method("GET").path("/").protocolVersion("HTTP/1.1").authority("echo:80")
            .userAgent("Java-http-client/17").requestId(context.requestId())
            .upstreamCluster("inbound|18080||").downstreamLocalAddress(UPSTREAM_HOST)
            .downstreamRemoteAddress("127.0.0.1:41234").routeName("default")
            .responseCodeDetails("via_upstream").build())
        .build();
    serverMetrics.record(report);
    span.end(report);
    return report;
  }
}
