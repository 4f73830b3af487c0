package io.inboard.mesh.grpc.lb;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC backend on 127.0.0.1 that answers {@code unaryRpc} with its name, or, while {@link
 * #failWith} holds statuses, fails with them in turn (its name as the description), so that a
 * caller knows which endpoint answered either way.
 */
final class EjectionBackend implements AutoCloseable {

  final String name;
  private final Server server;
  private volatile List<Status> failures = List.of();
  private final AtomicInteger failureIndex = new AtomicInteger();

  EjectionBackend(String name) throws IOException {
    this.name = name;
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            InsecureServerCredentials.create())
        .addService(new Service()).build().start();
  }

  int port() {
    return server.getPort();
  }

  /** Fails every call with {@code statuses} in turn; none: answers again. */
  EjectionBackend failWith(Status... statuses) {
    failures = List.of(statuses);
    return this;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private final class Service extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
      List<Status> f = failures;
      if (!f.isEmpty()) {
        Status status = f.get(Math.floorMod(failureIndex.getAndIncrement(), f.size()));
        out.onError(status.withDescription(name).asRuntimeException());
        return;
      }
      out.onNext(SimpleResponse.newBuilder().setResponseMessage(name).build());
      out.onCompleted();
    }
  }
}
