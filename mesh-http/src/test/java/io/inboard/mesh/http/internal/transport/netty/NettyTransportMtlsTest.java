package io.inboard.mesh.http.internal.transport.netty;

import static io.inboard.mesh.http.mtls.MeshCertificates.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.http.internal.lb.TryOutcome;
import io.inboard.mesh.http.internal.tls.UpstreamIdentities;
import io.inboard.mesh.security.internal.tls.MeshSslContexts;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh's mTLS over the Netty transport, on HTTP/2 negotiated by ALPN: the client's
 * {@code SSLContext} is the one the JDK path uses (client certificate, mesh roots, secure naming
 * by the endpoint connected to), the server requires client certificates and speaks only h2.
 */
class NettyTransportMtlsTest {

  private static final String CLUSTER = "outbound|9080||details.default.svc.cluster.local";
  private static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";

  private EventLoopGroup group;
  private Http2TestServer server;
  private final UpstreamIdentities identities = new UpstreamIdentities();
  private NettyTransport transport;

  @BeforeEach
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = new Http2TestServer(1, MeshSslContexts.server(identity("bookinfo-details")));
    SSLContext client = MeshSslContexts.client(identity("bookinfo-productpage"), identities);
    transport = new NettyTransport(NettyEventLoops.of(group), Duration.ofSeconds(5), client,
        client.getDefaultSSLParameters(), true, NettyTransport.DEFAULT_IDLE_TIMEOUT, 0);
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private HttpRequest grpcCall() {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/a.B/C"))
        .version(HttpClient.Version.HTTP_2).header("te", "trailers")
        .POST(HttpRequest.BodyPublishers.ofString("hi")).build();
  }

  @Test
  void serverWithTheClustersSpiffeId_answersOverH2_withTrailers() throws Exception {
    identities.update(CLUSTER, Set.of(DETAILS), List.of(Endpoint.ready("127.0.0.1",
        server.port())));
    AtomicReference<HttpHeaders> trailers = new AtomicReference<>();

    HttpResponse<String> r = transport.send(grpcCall(),
        info -> new TrailerRecorder(BodySubscribers.ofString(StandardCharsets.UTF_8), trailers))
        .get(20, TimeUnit.SECONDS);

    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.body()).startsWith("POST /a.B/C 127.0.0.1:" + server.port());
    assertThat(trailers.get().firstValue("grpc-status")).hasValue("0");
    assertThat(r.sslSession()).hasValueSatisfying(s ->
        assertThat(s.getProtocol()).startsWith("TLS"));
  }

  @Test
  void serverWithAnotherSpiffeId_isRefused_asAResetTry() {
    identities.update(CLUSTER, Set.of("spiffe://cluster.local/ns/default/sa/bookinfo-reviews"),
        List.of(Endpoint.ready("127.0.0.1", server.port())));

    Throwable failure = catchThrowable(() -> transport.send(grpcCall(),
        HttpResponse.BodyHandlers.ofString()).get(20, TimeUnit.SECONDS));

    assertThat(failure).isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("secure naming");
    // as over the JDK client: a failed handshake is an IOException after connecting
    assertThat(TryOutcome.of(null, failure)).isEqualTo(TryOutcome.RESET);
  }

  @Test
  void http2RequestsToAServerThatChoosesHttp1_goAsHttp1OverOnePooledConnection()
      throws Exception {
    try (Http1TestServer h1 = new Http1TestServer(
        MeshSslContexts.server(identity("bookinfo-details")))) {
      identities.update(CLUSTER, Set.of(DETAILS), List.of(Endpoint.ready("127.0.0.1",
          h1.port())));
      HttpRequest call = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + h1.port()
          + "/")).version(HttpClient.Version.HTTP_2).build();

      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = transport.send(call, HttpResponse.BodyHandlers.ofString())
            .get(20, TimeUnit.SECONDS);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).isEqualTo("hello");
      }
      assertThat(h1.connectionsOpened).hasValue(1);
    }
  }

}
