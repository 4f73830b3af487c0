package io.inboard.e2e.k8s;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reads what a control plane serves, over ADS, as an xDS client would: the clusters (CDS), the
 * endpoints of chosen clusters (EDS) and where chosen route configurations send calls (RDS).
 * Each read opens its own stream, so that a test can poll with Awaitility until the config
 * converges. java-control-plane does not answer an ADS request that names a resource it does
 * not hold, so a read of a missing resource gives an empty answer after {@link #WAIT_SECONDS}.
 */
final class XdsProbe implements AutoCloseable {
  static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String ENDPOINTS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  static final String ROUTES = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  private static final int WAIT_SECONDS = 3;

  private final ManagedChannel channel;

  XdsProbe(String xdsAddress) {
    channel = Grpc.newChannelBuilder(xdsAddress, InsecureChannelCredentials.create()).build();
  }

  /** The names of every cluster served. */
  Set<String> clusters() throws InterruptedException {
    return fetch(CLUSTERS, List.of()).stream().map(a -> unpack(a, Cluster.class).getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The endpoints of each of {@code clusters}, as sorted {@code address:port}; empty when any of
   * them is not served.
   */
  Map<String, Set<String>> endpoints(Collection<String> clusters) throws InterruptedException {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Any a : fetch(ENDPOINTS, clusters)) {
      ClusterLoadAssignment cla = unpack(a, ClusterLoadAssignment.class);
      out.put(cla.getClusterName(), cla.getEndpointsList().stream()
          .flatMap(l -> l.getLbEndpointsList().stream()).map(LbEndpoint::getEndpoint)
          .map(e -> e.getAddress().getSocketAddress())
          .map(s -> s.getAddress() + ":" + s.getPortValue())
          .collect(Collectors.toCollection(TreeSet::new)));
    }
    return out;
  }

  /**
   * The clusters each of {@code routeConfigs} sends calls to (weight above 0); empty when any of
   * them is not served.
   */
  Map<String, Set<String>> routeTargets(Collection<String> routeConfigs)
      throws InterruptedException {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Any a : fetch(ROUTES, routeConfigs)) {
      RouteConfiguration rc = unpack(a, RouteConfiguration.class);
      Set<String> targets = new TreeSet<>();
      rc.getVirtualHostsList().stream().flatMap(vh -> vh.getRoutesList().stream())
          .filter(Route::hasRoute).map(Route::getRoute).forEach(action -> {
            if (!action.getCluster().isEmpty()) {
              targets.add(action.getCluster());
            }
            for (WeightedCluster.ClusterWeight w : action.getWeightedClusters().getClustersList()) {
              if (w.getWeight().getValue() > 0) {
                targets.add(w.getName());
              }
            }
          });
      out.put(rc.getName(), targets);
    }
    return out;
  }

  private List<Any> fetch(String typeUrl, Collection<String> names) throws InterruptedException {
    BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse r) {
            responses.add(r);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    try {
      requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(typeUrl)
          .addAllResourceNames(names).setNode(Node.newBuilder().setId("bookinfo-k8s-probe"))
          .build());
      DiscoveryResponse r = responses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      return r == null ? List.of() : r.getResourcesList();
    } finally {
      requests.onCompleted();
    }
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("served " + any.getTypeUrl() + " does not parse", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
