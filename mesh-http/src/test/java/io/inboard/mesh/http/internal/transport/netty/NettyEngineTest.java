package io.inboard.mesh.http.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import io.inboard.mesh.http.internal.resilience.CallTimers;
import io.inboard.mesh.http.internal.resilience.Destination;
import io.inboard.mesh.http.internal.resilience.RetryingCall;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The resilience engine's tries ({@link RetryingCall} over a {@link Destination}) sent by the
 * Netty transport, as the ingress gateway sends them: readdressed to the picked endpoint,
 * retried on Netty's failures as on the JDK's, gRPC over h2c with its trailers.
 */
class NettyEngineTest {

  private static final ServiceName SERVICE = ServiceName.of("reviews", "default", 9080);

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final NettyTransport transport = new NettyTransport(NettyEventLoops.of(group),
      Duration.ofSeconds(5), null, null, false, NettyTransport.DEFAULT_IDLE_TIMEOUT, 0);
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final CallTimers timers = CallTimers.on(scheduler);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private Destination destination(int... ports) {
    ClientPolicy policy = ClientPolicy.builder().loadBalancer(LoadBalancerPolicy.ROUND_ROBIN)
        .build();
    Destination d = new Destination(SERVICE, policy, null, transport);
    d.endpoints().onEndpoints(new ServiceEndpoints(SERVICE,
        java.util.Arrays.stream(ports).mapToObj(p -> Endpoint.ready("127.0.0.1", p)).toList()));
    return d;
  }

  private static CallPolicy retry(int attempts, String retryOn) {
    return new CallPolicy(0, RetryPolicy.of(attempts, Duration.ZERO, RetryOn.parse(retryOn)));
  }

  @Test
  void connectFailure_isRetriedOnTheNextEndpoint_underConnectFailure() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    try (Http1TestServer server = new Http1TestServer()) {
      Destination d = destination(closed, server.port());
      for (int i = 0; i < 4; i++) { // round robin starts on either endpoint
        HttpResponse<String> r = RetryingCall.start(d, retry(1, "connect-failure"),
            HttpRequest.newBuilder(URI.create("http://reviews:9080/")).build(),
            BodyHandlers.ofString(), timers).get(20, TimeUnit.SECONDS);
        assertThat(r.body()).isEqualTo("hello");
      }
    }
  }

  @Test
  void hostHeaderOfAGatewaysCustomRequest_reachesTheServerAsHost() throws Exception {
    try (Http1TestServer server = new Http1TestServer()) {
      HttpRequest downstream = new HeaderCarrying(URI.create("http://reviews:9080/"),
          HttpHeaders.of(Map.of("host", List.of("bookinfo.example.com")), (n, v) -> true));

      HttpResponse<String> r = RetryingCall.start(destination(server.port()), retry(0, "5xx"),
          downstream, BodyHandlers.ofString(), timers).get(20, TimeUnit.SECONDS);

      assertThat(r.headers().firstValue("x-host")).hasValue("bookinfo.example.com");
    }
  }

  @Test
  void grpcOverH2c_throughTheEngine_deliversTheTrailers() throws Exception {
    try (Http2TestServer server = new Http2TestServer(1)) {
      AtomicReference<HttpHeaders> trailers = new AtomicReference<>();
      HttpRequest call = HttpRequest.newBuilder(URI.create("http://reviews:9080/a.B/C"))
          .version(HttpClient.Version.HTTP_2).header("te", "trailers")
          .POST(HttpRequest.BodyPublishers.ofString("x")).build();

      HttpResponse<String> r = RetryingCall.start(destination(server.port()), retry(0, "5xx"),
          call, info -> new TrailerRecorder(BodySubscribers.ofString(StandardCharsets.UTF_8), trailers),
          timers).get(20, TimeUnit.SECONDS);

      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.body()).startsWith("POST /a.B/C 127.0.0.1:" + server.port());
      assertThat(trailers.get().firstValue("grpc-status")).hasValue("0");
    }
  }

  /** A request as the gateway builds it: headers the JDK's builder would refuse. */
  private static final class HeaderCarrying extends HttpRequest {
    private final URI uri;
    private final HttpHeaders headers;

    HeaderCarrying(URI uri, HttpHeaders headers) {
      this.uri = uri;
      this.headers = headers;
    }

    @Override
    public Optional<BodyPublisher> bodyPublisher() {
      return Optional.of(BodyPublishers.noBody());
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public Optional<Duration> timeout() {
      return Optional.empty();
    }

    @Override
    public boolean expectContinue() {
      return false;
    }

    @Override
    public URI uri() {
      return uri;
    }

    @Override
    public Optional<HttpClient.Version> version() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return headers;
    }
  }

}
