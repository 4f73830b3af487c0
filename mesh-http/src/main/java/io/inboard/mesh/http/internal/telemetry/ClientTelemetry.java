package io.inboard.mesh.http.internal.telemetry;

import io.inboard.mesh.http.internal.transport.FlatHeaders;
import io.inboard.mesh.http.internal.transport.Requests;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.security.internal.tls.PeerPrincipals;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Observes each logical mesh HTTP call: its call span (a child of the caller's current context)
 * and, once it ended after its retries, one {@code reporter="source"} report: the server's
 * identity from its peer-metadata answer (unknown when it runs no Inboard hook or sidecar), the
 * final status (a local reply's when no response came: see {@link ResponseFlags}), the flags,
 * the time from the call's start to its end, the body sizes and the access-log details.
 * Nothing is made for a call when the telemetry neither records nor traces.
 */
public final class ClientTelemetry {

  /** What the JDK client sends as {@code User-Agent} unless the caller sets one. */
  static final String JDK_USER_AGENT = "Java-http-client/" + System.getProperty("java.version");

  private final MeshTelemetry telemetry;
  private final PeerIdentity self;
  private final String clusterDomain;

  public ClientTelemetry(Mesh mesh) {
    this.telemetry = InternalMesh.telemetry(mesh);
    this.self = InternalMesh.peerHeaders(mesh).self();
    this.clusterDomain = mesh.settings().clusterDomain();
  }

  /**
   * Starts observing a call of {@code request} (with the context's headers added) from the
   * caller's thread; {@code null} when telemetry neither records nor traces.
   */
  public CallObservation begin(HttpRequest request) {
    MeshTracing tracing = telemetry.tracing();
    if (tracing == MeshTracing.NOOP && telemetry.metrics() == MeshMetrics.NOOP) {
      return null;
    }
    return new CallObservation(request, tracing, RequestContext.current(), false);
  }

  /** {@code handler}, noting the response's arrival and size for {@code call}. */
  public static <T> BodyHandler<T> handler(CallObservation call, BodyHandler<T> handler) {
    return call == null ? handler : new CountingBodyHandler<>(handler, call);
  }

  /** Reports {@code result} when it ends (nothing when {@code call} is null); returns it. */
  public <T> CompletableFuture<HttpResponse<T>> observe(ServiceName service, CallObservation call,
      CompletableFuture<HttpResponse<T>> result) {
    if (call != null) {
      result.whenComplete((response, failure) -> finish(service, call, response, failure));
    }
    return result;
  }

  /** Ends a mirrored copy's span (never recorded as a request). */
  public void finishMirror(ServiceName service, CallObservation mirror, HttpResponse<?> response,
      Throwable failure) {
    finish(service, mirror, response, failure);
  }

  private void finish(ServiceName service, CallObservation call, HttpResponse<?> response,
      Throwable failure) {
    long nanos = System.nanoTime() - call.startNanos;
    int flags = call.flags();
    int status;
    String details;
    if (response != null) {
      status = response.statusCode();
      ResponseFlags.Reply local = call.local();
      details = local != null ? local.details() : ResponseFlags.VIA_UPSTREAM;
    } else {
      ResponseFlags.Reply r = call.reply() != null ? call.reply() : ResponseFlags.of(failure);
      flags |= r.flag();
      status = r.status();
      details = r.details();
    }
    ClusterStats cluster = call.cluster();
    HttpRequest request = call.request;
    String[] tls = response == null ? null : principals(response);
    PeerIdentity destination = response == null ? PeerIdentity.UNKNOWN
        : EnvoyPeerMetadata.read(Requests.header(response, EnvoyPeerMetadata.HEADER),
            Requests.header(response, PeerIdentity.HEADER));
    RequestReport report = RequestReport.builder(RequestReport.Reporter.SOURCE,
            InboundRequest.Protocol.HTTP)
        .source(self).destination(destination)
        .destinationService(cluster != null ? cluster.destinationService()
            : service.withoutPort().fqdn(clusterDomain))
        .responseCode(status).responseFlags(ResponseFlags.text(flags)).durationNanos(nanos)
        .requestBytes(request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength)
            .orElse(0L))
        .responseBytes(response == null ? 0 : call.responseBytes)
        .security(tls == null ? null : tls[0], tls == null ? null : tls[1], false)
        .details(readsDetails(call)
            ? details(call, request, response, status, details, cluster) : RequestDetails.NONE)
        .build();
    call.span.end(report);
    if (!call.mirror) {
      telemetry.metrics().record(report);
    }
  }

  /** Whether anything reads the details of {@code call}'s report: they are costly to collect. */
  private boolean readsDetails(CallObservation call) {
    return call.span.recording()
        || (!call.mirror && telemetry.metrics().readsDetails(RequestReport.Reporter.SOURCE));
  }

  /**
   * {source, destination} SPIFFE IDs of a TLS response's connection, or {@code null} for
   * plaintext. The mutual-TLS label stays off: Istio's source reporter says {@code unknown}.
   */
  private static String[] principals(HttpResponse<?> response) {
    SSLSession tls = response.sslSession().orElse(null);
    if (tls == null) {
      return null;
    }
    Certificate[] local = tls.getLocalCertificates();
    String source = local != null && local.length > 0 && local[0] instanceof X509Certificate c
        ? PeerPrincipals.of(c) : null;
    String destination = null;
    try {
      Certificate[] peer = tls.getPeerCertificates();
      if (peer.length > 0 && peer[0] instanceof X509Certificate c) {
        destination = PeerPrincipals.of(c);
      }
    } catch (SSLPeerUnverifiedException unverified) {
      // no server certificate to name
    }
    return new String[] {source, destination};
  }

  private RequestDetails details(CallObservation call, HttpRequest request,
      HttpResponse<?> response, int status, String codeDetails, ClusterStats cluster) {
    String query = request.uri().getRawQuery();
    String path = request.uri().getRawPath();
    return RequestDetails.builder()
        .startEpochMillis(call.startEpochMillis)
        .method(request.method())
        .path(path == null || path.isEmpty() ? "/" + (query == null ? "" : "?" + query)
            : query == null ? path : path + "?" + query)
        .protocolVersion(response != null && response.version() == HttpClient.Version.HTTP_2
            ? "HTTP/2" : "HTTP/1.1")
        .authority(orElse(Requests.header(request, "x-forwarded-host"),
            request.uri().getRawAuthority()))
        .userAgent(orElse(Requests.header(request, "user-agent"), JDK_USER_AGENT))
        .requestId(orElse(Requests.header(request, "x-request-id"), ""))
        .forwardedFor(orElse(Requests.header(request, "x-forwarded-for"), ""))
        .upstreamHost(call.upstreamHost())
        .upstreamCluster(cluster == null ? "" : cluster.name())
        .routeName(call.routeName())
        .responseCodeDetails(codeDetails)
        .upstreamServiceTimeMillis(response == null || status == 0 || call.attempts() == 0
            ? -1 : call.serviceTimeMillis())
        .attempts(call.attempts())
        .headers(captured(request))
        .build();
  }

  private Map<String, String> captured(HttpRequest request) {
    Set<String> names = telemetry.capturedHeaders();
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, String> m = new HashMap<>();
    for (String n : names) {
      String v = Requests.header(request, FlatHeaders.lower(n));
      if (v != null) {
        m.put(n, v);
      }
    }
    return m;
  }

  private static String orElse(String value, String otherwise) {
    return value != null ? value : otherwise;
  }
}
