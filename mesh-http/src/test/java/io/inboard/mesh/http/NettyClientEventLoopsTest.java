package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.http.internal.transport.TransportKind;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a {@link TransportKind#NETTY} client's tries run: on its own daemon event loops
 * ({@code inboard-http-netty-*}, shut down with the mesh), or on the loops the ingress gateway
 * gives it, where a call made on a loop completes on that same loop.
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
}
