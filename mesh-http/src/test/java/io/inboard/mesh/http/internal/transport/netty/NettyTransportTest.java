package io.inboard.mesh.http.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inboard.mesh.http.internal.lb.TryOutcome;
import io.inboard.mesh.http.internal.telemetry.ResponseFlags;
import io.inboard.mesh.http.internal.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Netty transport against real HTTP/1.1 and h2c servers on 127.0.0.1. */
class NettyTransportTest {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

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

  private NettyTransport transport(int loops) {
    return transport(loops, NettyTransport.DEFAULT_IDLE_TIMEOUT, 0);
  }

  private NettyTransport transport(int loops, Duration idleTimeout) {
    return transport(loops, idleTimeout, 0);
  }

  private NettyTransport transport(int loops, Duration idleTimeout, int maxPerConnection) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
    keep(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
    return new NettyTransport(NettyEventLoops.of(group), CONNECT_TIMEOUT, null, null, false,
        idleTimeout, maxPerConnection);
  }

  private Http1TestServer http1() throws Exception {
    return keep(new Http1TestServer());
  }

  private static HttpRequest get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
  }

  private static <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> f)
      throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  @Test
  void http1_sequentialCallsReuseOneKeepAliveConnection() throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1);

    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = await(transport.send(get(server.port(), "/"),
          BodyHandlers.ofString()));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello");
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(r.headers().firstValue("x-host")).hasValue("127.0.0.1:" + server.port());
    }

    assertThat(server.connectionsOpened).hasValue(1);
  }

  @Test
  void http1_aConnectionIdlePastTheIdleTimeoutIsClosed_andTheNextCallOpensAnother()
      throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1, Duration.ofMillis(200));

    assertThat(await(transport.send(get(server.port(), "/"), BodyHandlers.ofString()))
        .statusCode()).isEqualTo(200);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.connectionsClosed.get() == 1);
    assertThat(await(transport.send(get(server.port(), "/"), BodyHandlers.ofString()))
        .statusCode()).isEqualTo(200);

    assertThat(server.connectionsOpened).hasValue(2);
  }

  @Test
  void http1_anIdleTimeoutOfZeroKeepsTheConnection() throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1, Duration.ZERO);
    NettyTransport closing = transport(1, Duration.ofMillis(100));

    await(transport.send(get(server.port(), "/"), BodyHandlers.ofString()));
    await(closing.send(get(server.port(), "/"), BodyHandlers.ofString()));
    // the other transport's connection, idle as long, is closed; this one is not
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.connectionsClosed.get() == 1);
    await(transport.send(get(server.port(), "/"), BodyHandlers.ofString()));

    assertThat(server.connectionsOpened).hasValue(2);
    assertThat(server.connectionsClosed).hasValue(1);
  }

  @Test
  void http1_aConnectionThatCarriedMaxRequestsIsClosed_andTheNextCallOpensAnother()
      throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1, NettyTransport.DEFAULT_IDLE_TIMEOUT, 3);

    for (int i = 0; i < 7; i++) {
      assertThat(await(transport.send(get(server.port(), "/"), BodyHandlers.ofString()))
          .statusCode()).isEqualTo(200);
    }

    assertThat(server.connectionsOpened).hasValue(3); // 3 + 3 + 1
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.connectionsClosed.get() == 2);
  }

  @Test
  void http2_theMaxRequestsPerConnectionThStreamRetiresTheConnection_whichClosesWhenDone()
      throws Exception {
    Http2TestServer server = keep(new Http2TestServer(1));
    NettyTransport transport = transport(1, NettyTransport.DEFAULT_IDLE_TIMEOUT, 2);

    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = await(transport.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/grpc.Svc/Call" + i))
          .version(HttpClient.Version.HTTP_2).build(), BodyHandlers.ofString()));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    assertThat(server.connectionsOpened).hasValue(3); // 2 + 2 + 1
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.connectionsClosed.get() == 2);
  }

  @Test
  void authorityOverrideHeader_isSentAsHost_andNotForwarded() throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1);

    HttpResponse<String> r = await(transport.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/"))
        .header(Heads.AUTHORITY_OVERRIDE, "bookinfo.example.com").build(),
        BodyHandlers.ofString()));

    assertThat(r.headers().firstValue("x-host")).hasValue("bookinfo.example.com");
  }

  @Test
  void callsMadeOnAnEventLoop_useThatLoopsConnections() throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(2);
    EventLoopGroup group = transport.loopsForTest().group();

    for (int round = 0; round < 5; round++) {
      for (var executor : group) {
        EventLoop loop = (EventLoop) executor;
        CompletableFuture<HttpResponse<String>> f = loop.submit(
            () -> transport.send(get(server.port(), "/"), BodyHandlers.ofString())).get();
        assertThat(await(f).body()).isEqualTo("hello");
      }
    }

    assertThat(server.connectionsOpened).hasValue(2);
  }

  @Test
  void http2_multiplexesConcurrentStreamsOnOneConnection_andDeliversTrailers() throws Exception {
    int streams = 5;
    Http2TestServer server = keep(new Http2TestServer(streams));
    NettyTransport transport = transport(1);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    List<AtomicReference<HttpHeaders>> trailers = new ArrayList<>();

    for (int i = 0; i < streams; i++) {
      AtomicReference<HttpHeaders> t = new AtomicReference<>();
      trailers.add(t);
      calls.add(transport.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/grpc.Svc/Call" + i))
          .version(HttpClient.Version.HTTP_2)
          .header("te", "trailers")
          .header("content-type", "application/grpc")
          .POST(HttpRequest.BodyPublishers.ofString("12345")).build(),
          info -> new TrailerRecorder(BodySubscribers.ofString(StandardCharsets.UTF_8), t)));
    }

    for (int i = 0; i < streams; i++) {
      HttpResponse<String> r = await(calls.get(i));
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/grpc");
      assertThat(r.body()).isEqualTo("POST /grpc.Svc/Call" + i + " 127.0.0.1:" + server.port()
          + " te=trailers body=5");
      assertThat(trailers.get(i).get().firstValue("grpc-status")).hasValue("0");
      assertThat(trailers.get(i).get().firstValue("grpc-message")).hasValue("ok");
    }
    assertThat(server.connectionsOpened).hasValue(1);
  }

  @Test
  void http2Cancel_resetsOnlyThatStream_andTheConnectionServesTheNextCall() throws Exception {
    Http2TestServer server = keep(new Http2TestServer(2)); // answers once two are open
    NettyTransport transport = transport(1);
    HttpRequest call = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/a.B/C"))
        .version(HttpClient.Version.HTTP_2).build();
    CompletableFuture<HttpResponse<String>> cancelled =
        transport.send(call, BodyHandlers.ofString());
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.requestsReceived.get() == 1);

    cancelled.cancel(true);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.streamsAbandoned.get() == 1);
    CompletableFuture<HttpResponse<String>> next = transport.send(call, BodyHandlers.ofString());

    assertThat(await(next).body()).startsWith("GET /a.B/C");
    assertThat(server.connectionsOpened).hasValue(1);
  }

  @Test
  void http2StreamResetByTheServer_isARemoteReset_andTheConnectionLivesOn() throws Exception {
    Http2TestServer server = keep(new Http2TestServer(1));
    NettyTransport transport = transport(1);
    HttpRequest reset = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/reset"))
        .version(HttpClient.Version.HTTP_2).build();

    Throwable failure = catchThrowable(() -> await(transport.send(reset,
        BodyHandlers.ofString())));

    assertThat(failure.getCause()).isInstanceOf(java.io.IOException.class);
    assertThat(TryOutcome.of(null, failure)).isEqualTo(TryOutcome.RESET);
    assertThat(ResponseFlags.of(failure)).isEqualTo(ResponseFlags.REMOTE_RESET);
    HttpRequest ok = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/ok")).version(HttpClient.Version.HTTP_2).build();
    assertThat(await(transport.send(ok, BodyHandlers.ofString())).statusCode()).isEqualTo(200);
    assertThat(server.connectionsOpened).hasValue(1);
  }

  @Test
  void requestBody_isStreamedAsTheConnectionTakesIt_notBufferedWhole() throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1);
    long size = 64L << 20;
    CountingPublisher body = new CountingPublisher(size, 64 << 10, server.uploadReceived);

    HttpResponse<String> r = await(transport.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/upload"))
        .POST(body).build(), BodyHandlers.ofString()));

    assertThat(r.body()).isEqualTo(Long.toString(size));
    // without backpressure the whole 64 MiB would be handed over before the server read any
    assertThat(body.maxAhead.get()).as("bytes published ahead of the server")
        .isLessThan(16L << 20);
  }

  @Test
  void responseBody_slowSubscriber_keepsTheTransportFromReadingAhead() throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1);
    long size = 128L << 20;
    OneAtATime subscriber = new OneAtATime();
    transport.send(get(server.port(), "/big?" + size), info -> subscriber);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received.get() > 0);

    // the server stops once socket buffers fill, far short of the body
    AtomicLong last = new AtomicLong(-1);
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
        .until(() -> last.getAndSet(server.bigWritten.get()) == server.bigWritten.get());
    assertThat(server.bigWritten.get()).isLessThan(32L << 20);

    subscriber.subscription.request(Long.MAX_VALUE);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.completed);
    assertThat(subscriber.received.get()).isEqualTo(size);
  }

  @Test
  void timeout_failsTheTryAndTheBody_closesTheConnection_andItIsNeverReused() throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1);
    AtomicReference<Throwable> bodyError = new AtomicReference<>();
    // warm (classes loaded, connection open): the timeout below then passes mid-body
    await(transport.send(get(server.port(), "/"), BodyHandlers.ofString()));
    HttpRequest held = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/head-then-hold"))
        .timeout(Duration.ofMillis(500)).build();

    Throwable failure = catchThrowable(() -> await(transport.send(held,
        info -> new ErrorRecordingSubscriber<>(BodySubscribers.ofString(StandardCharsets.UTF_8),
            bodyError))));

    assertThat(failure).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(HttpTimeoutException.class);
    assertThat(bodyError.get()).isInstanceOf(HttpTimeoutException.class);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.connectionsClosed.get() == 1);
    assertThat(await(transport.send(get(server.port(), "/"), BodyHandlers.ofString())).body())
        .isEqualTo("hello");
    assertThat(server.connectionsOpened).hasValue(2);
  }

  @Test
  void cancel_closesTheConnection_andTheNextCallGetsAFreshOne() throws Exception {
    Http1TestServer server = http1();
    NettyTransport transport = transport(1);
    CompletableFuture<HttpResponse<String>> f =
        transport.send(get(server.port(), "/hold"), BodyHandlers.ofString());
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.connectionsOpened.get() == 1);

    f.cancel(true);

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> server.connectionsClosed.get() == 1);
    assertThat(await(transport.send(get(server.port(), "/"), BodyHandlers.ofString())).body())
        .isEqualTo("hello");
    assertThat(server.connectionsOpened).hasValue(2);
  }

  @Test
  void connectFailure_isClassifiedAsTheJdkClientsIs() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    Transport jdk = new Transport(HttpClient.newHttpClient(), null);
    NettyTransport netty = transport(1);

    Throwable viaJdk = catchThrowable(() -> await(jdk.send(get(closedPort, "/"),
        BodyHandlers.ofString())));
    Throwable viaNetty = catchThrowable(() -> await(netty.send(get(closedPort, "/"),
        BodyHandlers.ofString())));

    assertThat(viaNetty.getCause()).isInstanceOf(ConnectException.class);
    assertThat(TryOutcome.of(null, viaNetty)).isEqualTo(TryOutcome.of(null, viaJdk))
        .isEqualTo(TryOutcome.CONNECT_FAILURE);
    assertThat(ResponseFlags.of(viaNetty)).isEqualTo(ResponseFlags.of(viaJdk));
  }

  /** Publishes {@code size} bytes on demand, noting how far it ever got ahead of the server. */
  private static final class CountingPublisher implements HttpRequest.BodyPublisher {
    final AtomicLong maxAhead = new AtomicLong();
    private final long size;
    private final int chunk;
    private final AtomicLong received;

    CountingPublisher(long size, int chunk, AtomicLong received) {
      this.size = size;
      this.chunk = chunk;
      this.received = received;
    }

    @Override
    public long contentLength() {
      return size;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
      s.onSubscribe(new Flow.Subscription() {
        long published;
        long demand;
        boolean emitting;

        @Override
        public synchronized void request(long n) {
          demand += n;
          if (emitting) {
            return; // the loop below picks it up: no recursion
          }
          emitting = true;
          while (demand > 0 && published < size) {
            demand--;
            int n1 = (int) Math.min(chunk, size - published);
            published += n1;
            maxAhead.accumulateAndGet(published - received.get(), Math::max);
            s.onNext(ByteBuffer.allocate(n1));
          }
          emitting = false;
          if (published == size && demand >= 0) {
            published++; // complete once
            s.onComplete();
          }
        }

        @Override
        public void cancel() {
        }
      });
    }
  }

  /** Requests one buffer, then only what the test asks. */
  private static final class OneAtATime implements BodySubscriber<Void> {
    final AtomicLong received = new AtomicLong();
    volatile Flow.Subscription subscription;
    volatile boolean completed;

    @Override
    public CompletionStage<Void> getBody() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      item.forEach(b -> received.addAndGet(b.remaining()));
    }

    @Override
    public void onError(Throwable t) {
    }

    @Override
    public void onComplete() {
      completed = true;
    }
  }
}
