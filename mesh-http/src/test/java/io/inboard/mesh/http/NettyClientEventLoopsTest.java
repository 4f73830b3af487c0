package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.http.internal.transport.TransportKind;
import io.inboard.mesh.http.internal.transport.netty.ErrorRecordingSubscriber;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a {@link TransportKind#NETTY} client's tries run: on its own daemon event loops
 * ({@code inboard-http-netty-*}, shut down with the mesh), or on the loops the ingress gateway
 * gives it, where a call made on a loop completes on that same loop. An application's client
 * ({@link HttpTransport#NETTY}) completes its calls on its executor instead, never on a loop.
 */
class NettyClientEventLoopsTest {

  private HttpServer server;
  private Mesh mesh;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    mesh = Mesh.builder().workloadName("gateway").namespace("default")
        .discovery(new StaticDiscovery()).adminPort(-1).build();
  }

  @AfterEach
  void stop() {
    mesh.close();
    server.stop(0);
  }

  private HttpRequest call() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/")).build();
  }

  private static Set<Thread> nettyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("inboard-http-netty-") && t.isAlive())
        .collect(Collectors.toSet());
  }

  @Test
  void ownLoops_areDaemonThreadsNamedForTheClient_andStopWithTheMesh() throws Exception {
    Set<Thread> before = nettyThreads();
    MeshHttpClient http = InternalMeshHttpClientBuilder.transport(MeshHttpClient.builder(mesh),
        TransportKind.NETTY).build();

    HttpResponse<String> r = http.send(call(), BodyHandlers.ofString());

    assertThat(r.body()).isEqualTo("ok");
    Set<Thread> ours = nettyThreads();
    ours.removeAll(before);
    assertThat(ours).isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
    mesh.close();
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> ours.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void givenLoops_aCallMadeOnALoopCompletesOnThatLoop() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      MeshHttpClient http = InternalMeshHttpClientBuilder.eventLoops(
          InternalMeshHttpClientBuilder.transport(MeshHttpClient.builder(mesh),
              TransportKind.NETTY), group).build();
      for (var executor : group) {
        EventLoop loop = (EventLoop) executor;
        CompletableFuture<Boolean> onSameLoop = loop.submit(() -> http.sendAsync(call(),
                BodyHandlers.ofString()).thenApply(resp -> loop.inEventLoop())).get();

        assertThat(onSameLoop.get(20, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void applicationsNettyClient_completesCallsOnItsExecutor_neverOnALoop() throws Exception {
    MeshHttpClient http = MeshHttpClient.builder(mesh).transport(HttpTransport.NETTY).build();

    String completedOn = http.sendAsync(call(), BodyHandlers.ofString())
        .thenApply(r -> r.body() + " " + Thread.currentThread().getName())
        .get(20, TimeUnit.SECONDS);

    assertThat(completedOn).startsWith("ok inboard-http-")
        .doesNotStartWith("ok inboard-http-netty-");
  }

  @Test
  void applicationsNettyClient_completesOnTheGivenExecutor() throws Exception {
    ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-pool"));
    try {
      MeshHttpClient http = MeshHttpClient.builder(mesh).transport(HttpTransport.NETTY)
          .executor(mine).build();

      String thread = http.sendAsync(call(), BodyHandlers.ofString())
          .thenApply(r -> Thread.currentThread().getName()).get(20, TimeUnit.SECONDS);

      assertThat(thread).isEqualTo("app-pool");
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void applicationsNettyClient_cancellingTheCall_cancelsTheTryInFlight() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.createContext("/slow", ex -> {
      ex.sendResponseHeaders(200, 0); // headers now, the body never (until released)
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    MeshHttpClient http = MeshHttpClient.builder(mesh).transport(HttpTransport.NETTY).build();
    AtomicReference<Throwable> bodyError = new AtomicReference<>();
    CountDownLatch subscribed = new CountDownLatch(1);
    HttpResponse.BodyHandler<String> handler = info -> new ErrorRecordingSubscriber<>(
        BodyHandlers.ofString().apply(info), bodyError, subscribed);
    try {
      CompletableFuture<HttpResponse<String>> f = http.sendAsync(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow")).build(),
          handler);
      assertThat(subscribed.await(20, TimeUnit.SECONDS)).isTrue();

      assertThat(f.cancel(true)).isTrue();

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bodyError.get() != null);
      assertThat(bodyError.get()).isInstanceOf(CancellationException.class);
    } finally {
      release.countDown();
    }
  }
}
