package io.inboard.mesh.grpc.inbound;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
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
import io.inboard.mesh.api.MeshBuilder;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.inbound.InboundGuard;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * productpage (gRPC, with the inbound hook) calls reviews (gRPC, with the inbound hook) through
 * a mesh channel, all on loopback. reviews remembers the metadata of its last call.
 */
final class TwoTierFixture implements AutoCloseable {

  final Mesh frontMesh;
  final Mesh backMesh;
  final Server back;
  final Server front;
  final ManagedChannel toFront;
  final AtomicReference<Metadata> backendSaw = new AtomicReference<>();

  TwoTierFixture(List<InboundGuard> backGuards) throws IOException {
    StaticDiscovery discovery = new StaticDiscovery();
    MeshBuilder bb = Mesh.builder().workloadName("reviews-v1").namespace("default")
        .label("app", "reviews").label("version", "v1").serves("reviews", java.util.Map.of("grpc", 9080))
        .discovery(new StaticDiscovery()).adminPort(0);
    backGuards.forEach(bb::inboundGuard);
    backMesh = bb.build();
    ServerInterceptor recorder = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h,
          ServerCallHandler<Q, R> next) {
        backendSaw.set(h);
        return next.startCall(call, h);
      }
    };
    back = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new Echo(), recorder))
        .intercept(MeshServerInterceptor.of(backMesh)).build().start();
    discovery.put(ServiceName.of("reviews", "default"),
        List.of(Endpoint.ready("127.0.0.1", back.getPort())));

    frontMesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").label("version", "v1").propagateHeaders("end-user")
        .discovery(discovery).adminPort(0).build();
    SimpleServiceGrpc.SimpleServiceBlockingStub reviews = SimpleServiceGrpc.newBlockingStub(
        MeshChannels.forService(frontMesh, "reviews:" + back.getPort()).build());
    front = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest req, StreamObserver<SimpleResponse> out) {
            try {
              out.onNext(reviews.unaryRpc(req));
              out.onCompleted();
            } catch (RuntimeException e) {
              out.onError(e);
            }
          }
        })
        .intercept(MeshServerInterceptor.of(frontMesh)).build().start();
    toFront = ManagedChannelBuilder.forAddress("127.0.0.1", front.getPort()).usePlaintext()
        .build();
  }

  /** What a header was on the backend's last call, or {@code null}. */
  String backendHeader(String name) {
    Metadata m = backendSaw.get();
    return m == null ? null : m.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
  }

  static String scrape(Mesh mesh) throws Exception {
    int port = mesh.adminAddress().orElseThrow().getPort();
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/stats/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() {
    toFront.shutdownNow();
    front.shutdownNow();
    back.shutdownNow();
    frontMesh.close();
    backMesh.close();
  }

  private static final class Echo extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest req, StreamObserver<SimpleResponse> out) {
      out.onNext(SimpleResponse.newBuilder().setResponseMessage(req.getRequestMessage()).build());
      out.onCompleted();
    }
  }
}
