package io.inboard.mesh.controlplane;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An ADS stream driven by hand with java-control-plane's protos, so that a test can ACK or NACK
 * exactly what it chooses (grpc-xds only NACKs what it cannot parse).
 */
final class RawAdsStream implements AutoCloseable {
  static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String ROUTES =
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final String ENDPOINTS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  private final ManagedChannel channel;
  private final StreamObserver<DiscoveryRequest> requests;
  private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final Node node;
  private boolean first = true;

  private RawAdsStream(String address, Node node) {
    this.node = node;
    this.channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
    this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse r) {
            responses.add(r);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
  }

  static RawAdsStream open(String address, Node node) {
    return new RawAdsStream(address, node);
  }

  /** Subscribes to {@code names} of {@code typeUrl} and returns the first response. */
  DiscoveryResponse subscribe(String typeUrl, List<String> names) throws InterruptedException {
    send(DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNames(names));
    return next();
  }

  /** Accepts {@code r}, as a client that applied it. */
  void ack(DiscoveryResponse r, List<String> names) {
    send(DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).addAllResourceNames(names)
        .setVersionInfo(r.getVersionInfo()).setResponseNonce(r.getNonce()));
  }

  /** Rejects {@code r} with {@code message}, keeping {@code lastGoodVersion}. */
  void nack(DiscoveryResponse r, List<String> names, String lastGoodVersion, String message) {
    send(DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).addAllResourceNames(names)
        .setVersionInfo(lastGoodVersion).setResponseNonce(r.getNonce())
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(message)));
  }

  /** The next response, waiting up to 10 s. */
  DiscoveryResponse next() throws InterruptedException {
    DiscoveryResponse r = responses.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no DiscoveryResponse within 10 s");
    }
    return r;
  }

  private synchronized void send(DiscoveryRequest.Builder request) {
    if (first) {
      request.setNode(node); // as grpc-xds and Envoy do: the node on the first request
      first = false;
    }
    requests.onNext(request.build());
  }

  @Override
  public void close() {
    requests.onCompleted();
    channel.shutdownNow();
  }
}
