package io.inboard.benchmarks.scale;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One workload's ADS stream, as grpc-xds drives it but without its XdsClient: LDS for the
 * listeners of the services it calls; RDS for the route configurations those name; CDS for the
 * clusters the routes name; EDS for those clusters' assignments. Every response is ACKed (its
 * version and nonce, the names still subscribed) or, if a resource does not parse, NACKed with
 * the last good version; a response that names new resources of the next type subscribes to
 * them. The node goes with every request, as grpc-xds sends it.
 *
 * <p>Each response is reported to the {@link Sink} with when it was received and ACKed (epoch
 * µs, comparable across JVMs on one machine) and its serialized size.
 */
final class AdsLoadClient {
  /** The four types, in the order a client subscribes to them. */
  enum Type {
    LDS("type.googleapis.com/envoy.config.listener.v3.Listener"),
    RDS("type.googleapis.com/envoy.config.route.v3.RouteConfiguration"),
    CDS("type.googleapis.com/envoy.config.cluster.v3.Cluster"),
    EDS("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment");

    final String url;

    Type(String url) {
      this.url = url;
    }

    static Type of(String url) {
      for (Type t : values()) {
        if (t.url.equals(url)) {
          return t;
        }
      }
      throw new IllegalArgumentException("type URL: " + url);
    }
  }

  /** Where responses are reported; called on the stream's thread. */
  interface Sink {
    void response(int client, Type type, String version, long receivedMicros, long ackedMicros,
        int bytes, boolean nacked);

    void failed(int client, Throwable error);
  }

  /** What one type is subscribed to and holds. */
  private static final class Subscription {
    Set<String> names = new TreeSet<>();
    String version = "";
    String nonce = "";
    boolean received;
  }

  private final int index;
  private final Node node;
  private final List<String> listeners;
  private final Sink sink;
  private final Map<Type, Subscription> subscriptions = new EnumMap<>(Type.class);
  private StreamObserver<DiscoveryRequest> requests;

  AdsLoadClient(int index, Node node, List<String> listeners, Sink sink) {
    this.index = index;
    this.node = node;
    this.listeners = List.copyOf(listeners);
    this.sink = sink;
    for (Type t : Type.values()) {
      subscriptions.put(t, new Subscription());
    }
  }

  /** Opens the stream on {@code channel} and subscribes to the listeners. */
  synchronized void start(Channel channel) {
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse r) {
            received(r);
          }

          @Override
          public void onError(Throwable t) {
            sink.failed(index, t);
          }

          @Override
          public void onCompleted() {
            sink.failed(index, new IllegalStateException("stream completed by the server"));
          }
        });
    subscribe(Type.LDS, new TreeSet<>(listeners));
  }

  /** Whether every type has been answered at least once. */
  synchronized boolean synced() {
    return subscriptions.values().stream().allMatch(s -> s.received);
  }

  synchronized void close() {
    if (requests != null) {
      requests.onCompleted();
    }
  }

  private synchronized void received(DiscoveryResponse r) {
    long at = ScaleControlPlane.micros();
    Type type = Type.of(r.getTypeUrl());
    Subscription s = subscriptions.get(type);
    Set<String> next;
    try {
      next = referenced(type, r.getResourcesList());
    } catch (InvalidProtocolBufferException e) {
      send(type, s, s.version, r.getNonce(), e.getMessage());
      sink.response(index, type, r.getVersionInfo(), at, ScaleControlPlane.micros(),
          r.getSerializedSize(), true);
      return;
    }
    s.version = r.getVersionInfo();
    s.nonce = r.getNonce();
    s.received = true;
    send(type, s, s.version, s.nonce, null);
    sink.response(index, type, s.version, at, ScaleControlPlane.micros(), r.getSerializedSize(),
        false);
    if (type != Type.EDS) {
      // the control plane answers every type in full (state of the world for each)
      Type following = Type.values()[type.ordinal() + 1];
      if (!next.equals(subscriptions.get(following).names)) {
        subscribe(following, next);
      }
    }
  }

  private void subscribe(Type type, Set<String> names) {
    Subscription s = subscriptions.get(type);
    s.names = names;
    send(type, s, s.version, s.nonce, null);
  }

  private void send(Type type, Subscription s, String version, String nonce, String error) {
    DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder().setNode(node)
        .setTypeUrl(type.url).addAllResourceNames(s.names).setVersionInfo(version)
        .setResponseNonce(nonce);
    if (error != null) {
      b.setErrorDetail(Status.newBuilder().setCode(3).setMessage(error));
    }
    requests.onNext(b.build());
  }

  /** The names of the next type that {@code resources} of {@code type} refer to. */
  private static Set<String> referenced(Type type, List<Any> resources)
      throws InvalidProtocolBufferException {
    Set<String> out = new TreeSet<>();
    for (Any any : resources) {
      switch (type) {
        case LDS -> {
          Listener l = any.unpack(Listener.class);
          if (l.hasApiListener()) {
            HttpConnectionManager hcm = l.getApiListener().getApiListener()
                .unpack(HttpConnectionManager.class);
            if (hcm.hasRds()) {
              out.add(hcm.getRds().getRouteConfigName());
            }
          }
        }
        case RDS -> {
          RouteConfiguration rc = any.unpack(RouteConfiguration.class);
          for (VirtualHost vh : rc.getVirtualHostsList()) {
            for (Route route : vh.getRoutesList()) {
              if (!route.hasRoute()) {
                continue;
              }
              if (!route.getRoute().getCluster().isEmpty()) {
                out.add(route.getRoute().getCluster());
              }
              for (WeightedCluster.ClusterWeight w
                  : route.getRoute().getWeightedClusters().getClustersList()) {
                out.add(w.getName());
              }
            }
          }
        }
        case CDS -> {
          Cluster c = any.unpack(Cluster.class);
          if (c.hasEdsClusterConfig()) {
            String service = c.getEdsClusterConfig().getServiceName();
            out.add(service.isEmpty() ? c.getName() : service);
          }
        }
        case EDS -> any.unpack(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class);
        default -> throw new IllegalStateException();
      }
    }
    return out;
  }
}
