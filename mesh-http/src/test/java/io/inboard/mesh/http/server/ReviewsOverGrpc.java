package io.inboard.mesh.http.server;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.MeshServerInterceptor;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.LifecycleExtension;
import java.util.List;
import java.util.Map;

/**
 * The mesh wiring the inbound tests share, around the kit's {@link GrpcBackendExtension}:
 * reviews-v1 on 127.0.0.7 behind its mesh's inbound hook ({@link MeshServerInterceptor}), and
 * productpage-v1's mesh, which resolves reviews to it and calls it through a mesh channel.
 * Register it with {@code @RegisterExtension}.
 */
final class ReviewsOverGrpc extends LifecycleExtension<ReviewsOverGrpc> {

  static final String REVIEWS_IP = "127.0.0.7";

  private Mesh reviewsMesh;
  private Mesh productpageMesh;
  private GrpcBackendExtension reviews;
  private ManagedChannel channel;

  @Override
  protected void doStart() {
    reviewsMesh = Mesh.builder().workloadName("reviews-v1").namespace("default")
        .label("app", "reviews").label("version", "v1").serves("reviews", Map.of("grpc", 9080))
        .discovery(new StaticDiscovery()).adminPort(0).build();
    reviews = GrpcBackendExtension.on(REVIEWS_IP)
        .interceptor(MeshServerInterceptor.of(reviewsMesh)).build().start();
    StaticDiscovery discovery = new StaticDiscovery().put(ServiceName.of("reviews", "default"),
        List.of(Endpoint.ready(REVIEWS_IP, reviews.port())));
    productpageMesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").label("version", "v1").propagateHeaders("end-user")
        .serves("productpage", Map.of("http", 9080)).discovery(discovery).adminPort(0).build();
    channel = MeshChannels.forService(productpageMesh, "reviews:" + reviews.port()).build();
  }

  @Override
  protected void doStop() {
    channel.shutdownNow();
    reviews.close();
    productpageMesh.close();
    reviewsMesh.close();
  }

  Mesh reviewsMesh() {
    checkStarted();
    return reviewsMesh;
  }

  Mesh productpageMesh() {
    checkStarted();
    return productpageMesh;
  }

  /** Calls reviews over gRPC through productpage's mesh channel; answers reviews' address. */
  String callReviews() {
    return SimpleServiceGrpc.newBlockingStub(channel).unaryRpc(SimpleRequest.getDefaultInstance())
        .getResponseMessage();
  }

  /** A header of reviews' last call, or {@code null}. */
  String lastHeader(String name) {
    return reviews.lastHeaders()
        .map(m -> m.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))).orElse(null);
  }
}
