package io.inboard.e2e;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The gRPC data plane: grpc-xds channels from {@link MeshChannels} on an xDS-mode mesh. */
final class GrpcPlane implements DataPlane, AutoCloseable {

  private final Mesh mesh;
  private final int port;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  GrpcPlane(Mesh mesh, int port) {
    this.mesh = mesh;
    this.port = port;
  }

  @Override
  public Kind kind() {
    return Kind.GRPC;
  }

  @Override
  public CompletableFuture<Outcome> call(String service, String path,
      Map<String, String> headers) {
    Metadata md = new Metadata();
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    headers.forEach((k, v) -> md.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(channels.computeIfAbsent(
            service, s -> MeshChannels.forService(mesh, s + ":" + port).build()))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md),
            MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
        // a bound on every call, so that a broken scenario fails instead of hanging
        .withDeadlineAfter(20, TimeUnit.SECONDS);
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    long start = System.nanoTime();
    StreamObserver<SimpleResponse> observer = new StreamObserver<>() {
      private String backend;

      @Override
      public void onNext(SimpleResponse r) {
        backend = r.getResponseMessage();
      }

      @Override
      public void onError(Throwable t) {
        result.complete(new Outcome(null, status(Status.fromThrowable(t)), millis(start),
            headers(responseHeaders.get())));
      }

      @Override
      public void onCompleted() {
        result.complete(new Outcome(backend, Outcome.Status.OK, millis(start),
            headers(responseHeaders.get())));
      }
    };
    SimpleRequest request = SimpleRequest.getDefaultInstance();
    if (path.equals(STREAMING)) {
      stub.serverStreamingRpc(request, observer);
    } else if (path.equals(UNARY)) {
      stub.unaryRpc(request, observer);
    } else {
      throw new IllegalArgumentException("path: " + path + " (expected: " + UNARY + " or "
          + STREAMING + ")");
    }
    return result;
  }

  private static Map<String, String> headers(Metadata h) {
    if (h == null) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (String k : h.keys()) {
      if (!k.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        String v = h.get(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER));
        if (v != null) {
          out.put(k, v);
        }
      }
    }
    return out;
  }

  private static Outcome.Status status(Status s) {
    return switch (s.getCode()) {
      case UNAVAILABLE -> Outcome.Status.UNAVAILABLE;
      case INTERNAL -> Outcome.Status.INTERNAL;
      case DEADLINE_EXCEEDED -> Outcome.Status.DEADLINE_EXCEEDED;
      default -> Outcome.Status.OTHER;
    };
  }

  static long millis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
