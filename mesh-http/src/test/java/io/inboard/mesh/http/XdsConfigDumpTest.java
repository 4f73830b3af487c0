package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A workload's {@code /debug/config_dump} section {@code xds_http} shows what the HTTP client
 * was sent: an accepted listener as ACKED, a listener it cannot use as NACKED with the reason.
 * The control plane here is a bare java-control-plane cache, so that it can serve what
 * Inboard's own control plane would refuse to.
 */
class XdsConfigDumpTest {

  private static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";

  @Test
  void configDumpShowsAckedAndNackedListenersWithTheNackReason() throws Exception {
    SimpleCache<String> cache = new SimpleCache<>(node -> "all");
    cache.setSnapshot("all", Snapshot.create(List.of(), List.of(),
        List.of(goodListener("good.default.svc.cluster.local:9080"),
            // no api_listener: a proxyless client cannot use it
            Listener.newBuilder().setName("bad.default.svc.cluster.local:9080").build()),
        List.of(), List.of(), "v1"));
    Server ads = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            InsecureServerCredentials.create())
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
        .build().start();
    try (Mesh mesh = Mesh.builder().workloadName("dump-client").namespace("default")
        .adminPort(-1).initialConfigTimeout(Duration.ofSeconds(2))
        .controlPlane("127.0.0.1:" + ads.getPort()).build()) {
      MeshHttpClient http = MeshHttpClient.of(mesh);
      // each call subscribes to its host's listener; their outcome does not matter here
      http.sendAsync(HttpRequest.newBuilder(URI.create("http://good:9080/")).build(),
          BodyHandlers.discarding());
      http.sendAsync(HttpRequest.newBuilder(URI.create("http://bad:9080/")).build(),
          BodyHandlers.discarding());

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        Map<String, Object> listeners = map(section(mesh).get(LISTENER));
        assertThat(listeners).isNotNull();
        Map<String, Object> good = map(listeners.get("good.default.svc.cluster.local:9080"));
        Map<String, Object> bad = map(listeners.get("bad.default.svc.cluster.local:9080"));
        assertThat(good).containsEntry("status", "ACKED").containsEntry("version", "v1")
            .containsKey("resource");
        assertThat(bad).containsEntry("status", "NACKED");
        assertThat(map(bad.get("nack")).get("details").toString())
            .contains("bad.default.svc.cluster.local:9080", "api_listener");
      });
    } finally {
      ads.shutdownNow();
    }
  }

  private static Map<String, Object> section(Mesh mesh) {
    return map(InternalMesh.configDumpSections(mesh).get("xds_http").get());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static Listener goodListener(String name) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setRds(Rds.newBuilder().setRouteConfigName(name).setConfigSource(
            ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder().setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
  }
}
