package io.inboard.mesh.gateway;

import static io.inboard.mesh.gateway.GatewayRig.RATINGS;
import static io.inboard.mesh.gateway.GatewayRig.REVIEWS;
import static io.inboard.mesh.gateway.GatewayXds.host;
import static io.inboard.mesh.gateway.GatewayXds.prefix;
import static io.inboard.mesh.gateway.GatewayXds.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.inboard.mesh.testing.LoopbackPorts;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listeners open and close as the index lists them; readiness follows. */
class GatewayListenersTest {

  GatewayRig rig;

  static final RouteConfiguration ROUTES = routes("http.l",
      host("all", "*").addRoutes(prefix("/", REVIEWS)).build());

  @BeforeEach
  void start() throws Exception {
    rig = new GatewayRig();
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  int health() throws Exception {
    return rig.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + rig.gateway.healthPort() + "/healthz/ready")).build(), BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void isNotReadyBeforeTheIndexAndReadyOnceEveryListedListenerIsBound() throws Exception {
    assertThat(health()).isEqualTo(503);
    rig.serve(ROUTES);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(health()).isEqualTo(200));
    assertThat(rig.gateway.listeningPorts()).containsEntry(rig.port, rig.port);
  }

  @Test
  void opensAListenerWhenTheIndexListsItAndClosesItWhenNoLongerListed() throws Exception {
    int second = LoopbackPorts.free();
    RouteConfiguration other = routes("http.second",
        host("all", "*").addRoutes(prefix("/", RATINGS)).build());
    rig.serve(List.of(GatewayXds.plaintext(rig.port, ROUTES.getName()),
        GatewayXds.plaintext(second, other.getName()),
        GatewayXds.index(GatewayXds.listenerName(rig.port), GatewayXds.listenerName(second))),
        List.of(ROUTES, other));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(get(second).body()).isEqualTo("ratings /x"));
    assertThat(rig.get("a.example.com", "/x").body()).isEqualTo("reviews /x");

    // the listener resource stays (java-control-plane's ADS cache answers only when every
    // name a client asks for exists); the index no longer lists it
    rig.serve(List.of(GatewayXds.plaintext(rig.port, ROUTES.getName()),
        GatewayXds.plaintext(second, other.getName()),
        GatewayXds.index(GatewayXds.listenerName(rig.port))), List.of(ROUTES, other));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(rig.gateway.listeningPorts()).doesNotContainKey(second));
    assertThatThrownBy(() -> new Socket().connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), second), 2000))
        .isInstanceOf(ConnectException.class);
    assertThat(rig.get("a.example.com", "/x").body()).isEqualTo("reviews /x");
    assertThat(health()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rig.printed
        .toString(java.nio.charset.StandardCharsets.UTF_8)).contains(
            "gateway listening on http://127.0.0.1:" + rig.port + "\n",
            "gateway listening on http://127.0.0.1:" + second + "\n",
            "gateway stopped listening on http://127.0.0.1:" + second + "\n"));

    // the closed listener and its route config are no longer asked for: an ADS server that
    // answers only when it has every name asked for keeps answering without them
    rig.serve(routes("http.l", host("all", "*").addRoutes(prefix("/", RATINGS)).build()));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(rig.get("a.example.com", "/x").body()).isEqualTo("ratings /x"));
  }

  @Test
  void aListenerThatCannotBindLeavesTheGatewayNotReadyAndTheOthersServing() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      rig.serve(List.of(GatewayXds.plaintext(rig.port, ROUTES.getName()),
          GatewayXds.plaintext(port, ROUTES.getName()),
          GatewayXds.index(GatewayXds.listenerName(rig.port), GatewayXds.listenerName(port))),
          List.of(ROUTES));
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
          assertThat(rig.get("a.example.com", "/x").body()).isEqualTo("reviews /x"));
      assertThat(rig.gateway.listeningPorts()).containsOnlyKeys(rig.port);
      assertThat(health()).isEqualTo(503);
      // the workload's /debug/config_dump says which listener and why
      Object dump = io.inboard.mesh.api.internal.InternalMesh.configDumpSections(rig.mesh)
          .get("gateway").get();
      assertThat(dump.toString()).contains(GatewayXds.listenerName(port), "cannot bind",
          "127.0.0.1:" + port);
    }
  }

  @Test
  void aListenerNoLongerListedLetsItsInFlightRequestFinish() throws Exception {
    int second = LoopbackPorts.free();
    List<io.envoyproxy.envoy.config.listener.v3.Listener> both = List.of(
        GatewayXds.plaintext(rig.port, ROUTES.getName()),
        GatewayXds.plaintext(second, ROUTES.getName()));
    rig.serve(List.of(both.get(0), both.get(1), GatewayXds.index(
        GatewayXds.listenerName(rig.port), GatewayXds.listenerName(second))), List.of(ROUTES));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(get(second).body()).isEqualTo("reviews /x"));
    int before = rig.reviews.requests.get();
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> slow =
        rig.client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second
            + "/sleep/1500")).build(), BodyHandlers.ofString());
    // the backend has the request: it is in flight through the listener
    await().atMost(Duration.ofSeconds(10)).until(() -> rig.reviews.requests.get() > before);
    rig.serve(List.of(both.get(0), both.get(1),
        GatewayXds.index(GatewayXds.listenerName(rig.port))), List.of(ROUTES));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(rig.gateway.listeningPorts()).doesNotContainKey(second));
    assertThat(slow.isDone()).isFalse();
    assertThat(slow.get(20, java.util.concurrent.TimeUnit.SECONDS).body())
        .isEqualTo("reviews slept");
  }

  private java.net.http.HttpResponse<String> get(int port) throws Exception {
    return rig.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
        .build(), BodyHandlers.ofString());
  }
}
