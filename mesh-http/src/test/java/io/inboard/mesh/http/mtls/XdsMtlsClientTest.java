package io.inboard.mesh.http.mtls;

import static io.inboard.mesh.http.mtls.MeshCertificates.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import io.inboard.mesh.http.internal.telemetry.RecordingTelemetry;
import org.junit.jupiter.api.Test;

/**
 * Inboard's HTTP client in xDS mode calling a cluster whose {@code transport_socket} is the
 * mesh's mTLS: the app writes {@code http://details:9080/...} and the call goes as mTLS to a
 * Jetty server under STRICT, which sees the caller's SPIFFE ID. Secure naming, the mesh roots
 * and a missing identity are each checked.
 */
class XdsMtlsClientTest {

  /** How long calls run while certificates rotate. */
  private static final Duration ROTATION_RUN = Duration.ofSeconds(20);
  private static final Duration ROTATION_PERIOD = Duration.ofSeconds(2);

  private static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  private static final String PRODUCTPAGE =
      "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  /** details behind Jetty under STRICT, with {@code serverIdentity}; returns its port. */
  private int strictDetails(InMemoryIdentity serverIdentity) throws Exception {
    Mesh server = keep(MeshCertificates.mesh("details-v1", "details", serverIdentity));
    InboundMtls.of(server).set(new InboundMtlsPolicy(MtlsMode.STRICT, java.util.Map.of()));
    return keep(new MeshJettyApp(server)).port();
  }

  /** productpage's client over a control plane that says details speaks mTLS as {@code sans}. */
  private MeshHttpClient productpage(int detailsPort, List<String> sans,
      InMemoryIdentity identity) throws Exception {
    TlsClusterXds xds = keep(new TlsClusterXds(detailsPort, sans));
    Mesh mesh = keep(Mesh.builder().workloadName("productpage-v1").namespace("default")
        .adminPort(-1).initialConfigTimeout(Duration.ofSeconds(10))
        .controlPlane(xds.address()).build());
    if (identity != null) {
      MeshIdentity.install(mesh, identity);
    }
    return MeshHttpClient.of(mesh);
  }

  private static HttpResponse<String> get(MeshHttpClient http, String query) throws Exception {
    return http.sendAsync(HttpRequest.newBuilder(
            URI.create("http://details:9080/details/0" + query))
        .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString())
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void httpUrlToAnMtlsCluster_goesAsMtls_andTheServerSeesTheCallersSpiffeId() throws Exception {
    int port = strictDetails(identity("bookinfo-details"));
    MeshHttpClient http = productpage(port, List.of(DETAILS), identity("bookinfo-productpage"));

    HttpResponse<String> r = get(http, "");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("principal=" + PRODUCTPAGE + ";certs=2");
    assertThat(r.uri().getScheme()).isEqualTo("https");
  }

  @Test
  void mtlsCall_isReportedWithBothSpiffeIdsOnBothSides() throws Exception {
    Mesh server = keep(MeshCertificates.mesh("details-v1", "details",
        identity("bookinfo-details")));
    InboundMtls.of(server).set(new InboundMtlsPolicy(MtlsMode.STRICT, java.util.Map.of()));
    RecordingTelemetry serverSide = RecordingTelemetry.installOn(server);
    int port = keep(new MeshJettyApp(server)).port();
    TlsClusterXds xds = keep(new TlsClusterXds(port, List.of(DETAILS)));
    Mesh mesh = keep(Mesh.builder().workloadName("productpage-v1").namespace("default")
        .adminPort(-1).initialConfigTimeout(Duration.ofSeconds(10))
        .controlPlane(xds.address()).build());
    MeshIdentity.install(mesh, identity("bookinfo-productpage"));
    RecordingTelemetry clientSide = RecordingTelemetry.installOn(mesh);
    MeshHttpClient http = MeshHttpClient.of(mesh);

    assertThat(get(http, "").statusCode()).isEqualTo(200);

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> !clientSide.reports.isEmpty() && !serverSide.reports.isEmpty());
    var sent = clientSide.reports.get(0);
    assertThat(sent.sourcePrincipal()).isEqualTo(PRODUCTPAGE);
    assertThat(sent.destinationPrincipal()).isEqualTo(DETAILS);
    var received = serverSide.reports.get(0);
    assertThat(received.sourcePrincipal()).isEqualTo(PRODUCTPAGE);
    assertThat(received.destinationPrincipal()).isEqualTo(DETAILS);
    assertThat(received.mutualTls()).isTrue();
  }

  @Test
  void serverWhoseSpiffeIdIsNotInTheClustersSans_isRefused() throws Exception {
    // the endpoint serves as details, the cluster expects reviews: secure naming must refuse
    int port = strictDetails(identity("bookinfo-details"));
    MeshHttpClient http = productpage(port,
        List.of("spiffe://cluster.local/ns/default/sa/bookinfo-reviews"),
        identity("bookinfo-productpage"));

    assertThatThrownBy(() -> get(http, "")).isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("secure naming");
  }

  @Test
  void serverWithACertificateFromAForeignCa_isRefused() throws Exception {
    int port = strictDetails(identity("bookinfo-details",
        InMemoryAuthority.create("cluster.local")));
    MeshHttpClient http = productpage(port, List.of(DETAILS), identity("bookinfo-productpage"));

    assertThatThrownBy(() -> get(http, "")).isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("does not verify against the mesh roots");
  }

  @Test
  void mtlsClusterWithoutAMeshIdentity_failsNamingTheCluster_neverPlaintext() throws Exception {
    int port = strictDetails(identity("bookinfo-details"));
    MeshHttpClient http = productpage(port, List.of(DETAILS), null);

    assertThatThrownBy(() -> get(http, "")).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining(TlsClusterXds.CLUSTER)
        .hasMessageContaining("no mesh identity");
    assertThat(((ServiceUnavailableException) catchCause(http)).reason())
        .isEqualTo(ServiceUnavailableException.Reason.TLS_UNAVAILABLE);
  }

  private static Throwable catchCause(MeshHttpClient http) {
    try {
      get(http, "");
      throw new AssertionError("the call went through");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void certificatesRotatingEveryTwoSeconds_failNoCall() throws Exception {
    InMemoryIdentity details = identity("bookinfo-details");
    InMemoryIdentity productpage = identity("bookinfo-productpage");
    int port = strictDetails(details);
    MeshHttpClient http = productpage(port, List.of(DETAILS), productpage);
    get(http, ""); // config in place before the clock starts
    ScheduledExecutorService rotator = Executors.newSingleThreadScheduledExecutor();
    keep(rotator::shutdownNow);
    // each certificate outlives its successor's arrival by two seconds only: a handshake that
    // did not use the newest one would fail soon
    Duration lifetime = ROTATION_PERIOD.multipliedBy(2);
    rotator.scheduleAtFixedRate(() -> {
      details.update(MeshCertificates.CA.issue(details.id(), lifetime));
      productpage.update(MeshCertificates.CA.issue(productpage.id(), lifetime));
    }, 0, ROTATION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);

    AtomicInteger calls = new AtomicInteger();
    List<String> failures = new ArrayList<>();
    long end = System.nanoTime() + ROTATION_RUN.toNanos();
    while (System.nanoTime() < end) {
      try {
        // "close": every call opens a new connection, so every call is a handshake
        HttpResponse<String> r = get(http, "?close");
        if (r.statusCode() != 200) {
          failures.add("status " + r.statusCode());
        }
      } catch (Exception e) {
        failures.add(e.toString());
      }
      calls.incrementAndGet();
    }

    assertThat(failures).isEmpty();
    assertThat(calls.get()).as("calls made during the run").isGreaterThan(50);
  }
}
