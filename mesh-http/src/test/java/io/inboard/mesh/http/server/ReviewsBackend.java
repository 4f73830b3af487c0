package io.inboard.mesh.http.server;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.MeshServerInterceptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * reviews-v1: a loopback gRPC server with the mesh's inbound hook, remembering the metadata of
 * its last call; and productpage-v1's mesh, which resolves reviews to it.
 */
final class ReviewsBackend implements AutoCloseable {

  final Mesh reviewsMesh;
  final Mesh productpageMesh;
  final Server server;
  final SimpleServiceGrpc.SimpleServiceBlockingStub reviewsStub;
  private final AtomicReference<Metadata> lastCall = new AtomicReference<>();

  ReviewsBackend() throws IOException {
    reviewsMesh = Mesh.builder().workloadName("reviews-v1").namespace("default")
        .label("app", "reviews").label("version", "v1").serves("reviews", Map.of("grpc", 9080))
        .discovery(new StaticDiscovery()).adminPort(0).build();
    ServerInterceptor recorder = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h,
          ServerCallHandler<Q, R> next) {
        lastCall.set(h);
        return next.startCall(call, h);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest req, StreamObserver<SimpleResponse> out) {
            out.onNext(SimpleResponse.newBuilder().setResponseMessage("reviews").build());
            out.onCompleted();
          }
        }, recorder))
        .intercept(MeshServerInterceptor.of(reviewsMesh)).build().start();
    StaticDiscovery discovery = new StaticDiscovery().put(ServiceName.of("reviews", "default"),
        List.of(Endpoint.ready("127.0.0.1", server.getPort())));
    productpageMesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").label("version", "v1").propagateHeaders("end-user")
        .serves("productpage", Map.of("http", 9080)).discovery(discovery).adminPort(0).build();
    reviewsStub = SimpleServiceGrpc.newBlockingStub(
        MeshChannels.forService(productpageMesh, "reviews:" + server.getPort()).build());
  }

  /** Calls reviews over gRPC through productpage's mesh channel. */
  String callReviews() {
    return reviewsStub.unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
  }

  /** A header of reviews' last call, or {@code null}. */
  String lastHeader(String name) {
    Metadata m = lastCall.get();
    return m == null ? null : m.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
  }

  /** The {@code istio_requests_total} line of {@code mesh}'s scrape with all of {@code labels}. */
  static String requestsTotal(Mesh mesh, String... labels) throws Exception {
    int port = mesh.adminAddress().orElseThrow().getPort();
    String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/stats/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return scrape.lines().filter(l -> l.startsWith("istio_requests_total{"))
        .filter(l -> List.of(labels).stream().allMatch(l::contains)).findFirst()
        .orElseThrow(() -> new AssertionError("no istio_requests_total with " + List.of(labels)
            + " in:\n" + scrape));
  }

  @Override
  public void close() {
    server.shutdownNow();
    productpageMesh.close();
    reviewsMesh.close();
  }
}
