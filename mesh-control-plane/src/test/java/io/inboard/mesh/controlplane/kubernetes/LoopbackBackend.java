package io.inboard.mesh.controlplane.kubernetes;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A pod's gRPC server on its own loopback IP; it answers with that IP. */
final class LoopbackBackend implements AutoCloseable {
  private final Server server;

  private LoopbackBackend(String ip, int port) throws IOException {
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(ip, port))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
            response.onNext(SimpleResponse.newBuilder().setResponseMessage(ip).build());
            response.onCompleted();
          }
        })
        .build().start();
  }

  /** Starts a backend on {@code ip:port}; port 0 picks a free one. */
  static LoopbackBackend start(String ip, int port) throws IOException {
    return new LoopbackBackend(ip, port);
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
