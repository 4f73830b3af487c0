package io.inboard.mesh.grpc.telemetry;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
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
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.MeshGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * productpage-v1 (a client, and a server that calls reviews while serving) and reviews-v1 (a
 * mesh server from {@code MeshGrpc.serverBuilder}) on 127.0.0.1, each mesh reporting to its own
 * {@link RecordingTelemetry}. reviews answers {@code unaryRpc} by its request message: {@code
 * hang} never answers, {@code unavailable} fails with UNAVAILABLE, {@code flaky} fails while
 * {@link #flakyFailures} lasts, anything else is echoed; its
 * bidi stream echoes each message and adds {@code done} at the end.
 */
final class TelemetryWorkloads implements AutoCloseable {

  static final ServiceName REVIEWS = ServiceName.of("reviews", "default");

  final RecordingTelemetry clientTelemetry = new RecordingTelemetry();
  final RecordingTelemetry serverTelemetry = new RecordingTelemetry();
  final StaticDiscovery discovery = new StaticDiscovery();
  final Mesh clientMesh;
  final Mesh serverMesh;
  final Server reviews;
  final AtomicInteger reviewsCalls = new AtomicInteger();
  /** How many {@code flaky} calls still fail with UNAVAILABLE before they are echoed. */
  final AtomicInteger flakyFailures = new AtomicInteger();
  final List<StreamObserver<SimpleResponse>> hanging = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

  TelemetryWorkloads() throws IOException {
    this(List.of());
  }

  /** With {@code guards} on reviews' inbound hook. */
  TelemetryWorkloads(List<InboundGuard> guards) throws IOException {
    MeshBuilder b = Mesh.builder().workloadName("reviews-v1").namespace("default")
        .label("app", "reviews").label("version", "v1").serves("reviews", Map.of("grpc", 9080))
        .discovery(new StaticDiscovery()).adminPort(-1);
    guards.forEach(b::inboundGuard);
    serverMesh = b.build();
    InternalMesh.replaceTelemetry(serverMesh, serverTelemetry);
    reviews = MeshGrpc.serverBuilder(serverMesh, new InetSocketAddress("127.0.0.1", 0))
        .addService(new Reviews()).build().start();
    clientMesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").label("version", "v1").discovery(discovery).adminPort(-1)
        .build();
    InternalMesh.replaceTelemetry(clientMesh, clientTelemetry);
    discovery.put(REVIEWS, List.of(Endpoint.ready("127.0.0.1", reviews.getPort())));
  }

  /** A mesh channel from productpage to {@code reviews:<port>}, closed with the fixture. */
  ManagedChannel channel(ClientPolicy policy) {
    return MeshChannels.forService(clientMesh, "reviews:" + reviews.getPort()).policy(policy)
        .build();
  }

  /** {@code closeable} is closed with the fixture, before the meshes. */
  <T extends AutoCloseable> T own(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  String reviewsAddress() {
    return "127.0.0.1:" + reviews.getPort();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    reviews.shutdownNow();
    clientMesh.close();
    serverMesh.close();
  }

  private final class Reviews extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest req, StreamObserver<SimpleResponse> out) {
      reviewsCalls.incrementAndGet();
      switch (req.getRequestMessage()) {
        case "hang" -> hanging.add(out);
        case "flaky" -> {
          if (flakyFailures.getAndDecrement() > 0) {
            out.onError(Status.UNAVAILABLE.asRuntimeException());
          } else {
            out.onNext(SimpleResponse.newBuilder().setResponseMessage("flaky").build());
            out.onCompleted();
          }
        }
        case "unavailable" -> out.onError(Status.UNAVAILABLE.withDescription("reviews is down")
            .asRuntimeException());
        default -> {
          out.onNext(SimpleResponse.newBuilder().setResponseMessage(req.getRequestMessage())
              .build());
          out.onCompleted();
        }
      }
    }

    @Override
    public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(SimpleRequest req) {
          out.onNext(SimpleResponse.newBuilder().setResponseMessage(req.getRequestMessage())
              .build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onNext(SimpleResponse.newBuilder().setResponseMessage("done").build());
          out.onCompleted();
        }
      };
    }
  }
}
