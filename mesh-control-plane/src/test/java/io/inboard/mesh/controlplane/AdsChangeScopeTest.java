package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.inboard.mesh.controlplane.internal.ads.AdsServer;
import io.inboard.mesh.controlplane.internal.ads.Debounce;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a change sends to connected clients: only the xDS types it changed, once per burst of
 * changes, from snapshots whose groups share equal resources.
 */
class AdsChangeScopeTest {
  static final String REVIEWS = "reviews.default.svc.cluster.local";
  static final String LISTENER = REVIEWS + ":9080";
  static final String POOL_DR = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews}
      spec:
        host: reviews
        trafficPolicy: {connectionPool: {http: {http2MaxRequests: %d}}}
      """;

  ControlPlane cp;

  @AfterEach
  void stop() {
    if (cp != null) {
      cp.close();
    }
    System.clearProperty(Debounce.AFTER_PROPERTY);
    System.clearProperty(Debounce.MAX_PROPERTY);
  }

  @Test
  void anEndpointChangeSendsOnlyEndpointsAndAClusterChangeOnlyClusters() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    cp.register(endpoint("127.0.0.2"));
    try (RawAdsStream ads = RawAdsStream.open(cp.xdsAddress(), MtlsXds.node("", Map.of()))) {
      List<String> clusters = subscribeToAll(ads);

      cp.register(endpoint("127.0.0.3"));
      DiscoveryResponse endpoints = ads.next();
      ads.ack(endpoints, clusters);
      // the next change touches clusters only: had the first re-sent listeners or routes,
      // they would come before it on the stream
      cp.apply(POOL_DR.formatted(7));
      DiscoveryResponse cds = ads.next();

      assertThat(endpoints.getTypeUrl()).isEqualTo(RawAdsStream.ENDPOINTS);
      assertThat(cds.getTypeUrl()).isEqualTo(RawAdsStream.CLUSTERS);
    }
  }

  @Test
  void aBurstOfChangesWithinTheDebounceWindowIsPublishedOnce() throws Exception {
    System.setProperty(Debounce.AFTER_PROPERTY, "1500");
    System.setProperty(Debounce.MAX_PROPERTY, "10000");
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    cp.register(endpoint("127.0.0.2"));
    try (RawAdsStream ads = RawAdsStream.open(cp.xdsAddress(), MtlsXds.node("", Map.of()))) {
      List<String> clusters = subscribeToAll(ads);
      long before = InternalControlPlane.engine(cp).publications();

      for (int i = 3; i < 23; i++) {
        cp.register(endpoint("127.0.0." + i));
      }
      DiscoveryResponse endpoints = ads.next();
      ads.ack(endpoints, clusters);
      cp.apply(POOL_DR.formatted(9));
      DiscoveryResponse next = ads.next();

      assertThat(InternalControlPlane.engine(cp).publications() - before).isEqualTo(2);
      assertThat(endpoints.getTypeUrl()).isEqualTo(RawAdsStream.ENDPOINTS);
      assertThat(endpoints.getResources(0).toString()).contains("127.0.0.22");
      assertThat(next.getTypeUrl()).isEqualTo(RawAdsStream.CLUSTERS);
    }
  }

  @Test
  void groupsShareEqualResourcesAndOnlyASourceLabelsRouteDiffers() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    for (int s = 0; s < 20; s++) {
      cp.register(new ServiceEndpoint("svc" + s + ".default.svc.cluster.local", 9080,
          "127.0.1." + s, Map.of()));
    }
    cp.register(endpoint("127.0.0.2"));
    cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - match: [{sourceLabels: {app: canary}}]
            fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
            route: [{destination: {host: reviews}}]
          - route: [{destination: {host: reviews}}]
        """);
    List<RawAdsStream> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        RawAdsStream ads = RawAdsStream.open(cp.xdsAddress(), MtlsXds.node("",
            Map.of("app", i == 0 ? "canary" : "web", "pod", "pod-" + i)));
        clients.add(ads);
        ads.subscribe(RawAdsStream.LISTENER, List.of(LISTENER));
      }
      AdsServer server = InternalControlPlane.engine(cp).ads();
      Snapshot canary = snapshotOf(server, "canary", "pod-0");
      Snapshot first = snapshotOf(server, "web", "pod-1");

      for (int i = 2; i < 10; i++) {
        Snapshot other = snapshotOf(server, "web", "pod-" + i);
        assertThat(other.clusters()).isSameAs(first.clusters());
        assertThat(other.endpoints()).isSameAs(first.endpoints());
        assertThat(other.routes()).isSameAs(first.routes());
        // each pod has its own inbound listener name-wise equal, the service listeners shared
        assertThat(other.resources(ResourceType.LISTENER).get(LISTENER))
            .isSameAs(first.resources(ResourceType.LISTENER).get(LISTENER));
      }
      assertThat(canary.clusters()).isSameAs(first.clusters());
      assertThat(canary.resources(ResourceType.ROUTE).get(LISTENER))
          .isNotEqualTo(first.resources(ResourceType.ROUTE).get(LISTENER));
      String svc0 = "svc0.default.svc.cluster.local:9080";
      assertThat(canary.resources(ResourceType.ROUTE).get(svc0))
          .isSameAs(first.resources(ResourceType.ROUTE).get(svc0));
    } finally {
      clients.forEach(RawAdsStream::close);
    }
  }

  /** Subscribes to reviews' listener, route, clusters and endpoints; returns the clusters. */
  private static List<String> subscribeToAll(RawAdsStream ads) throws Exception {
    List<String> listeners = List.of(LISTENER);
    ads.ack(ads.subscribe(RawAdsStream.LISTENER, listeners), listeners);
    ads.ack(ads.subscribe(RawAdsStream.ROUTES, listeners), listeners);
    DiscoveryResponse cds = ads.subscribe(RawAdsStream.CLUSTERS, List.of());
    ads.ack(cds, List.of());
    List<String> clusters = new ArrayList<>();
    for (var any : cds.getResourcesList()) {
      Cluster c = any.unpack(Cluster.class);
      if (c.getName().contains(REVIEWS) && c.hasEdsClusterConfig()) {
        String service = c.getEdsClusterConfig().getServiceName();
        clusters.add(service.isEmpty() ? c.getName() : service);
      }
    }
    ads.ack(ads.subscribe(RawAdsStream.ENDPOINTS, clusters), clusters);
    return clusters;
  }

  private static Snapshot snapshotOf(AdsServer server, String app, String pod) {
    return server.snapshot(AdsServer.group(MtlsXds.node("", Map.of("app", app, "pod", pod))))
        .orElseThrow();
  }

  private static ServiceEndpoint endpoint(String address) {
    return new ServiceEndpoint(REVIEWS, 9080, address, Map.of());
  }
}
