package io.inboard.mesh.grpc;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend pod's gRPC server on its own loopback IP. {@code UnaryRpc} answers with the IP, so a
 * test sees which endpoint served a call.
 */
final class Backend implements AutoCloseable {

  /** What the backend does with each call. */
  enum Behavior { OK, UNAVAILABLE, HANG }

  private final String ip;
  private final Server server;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Behavior behavior;

  private Backend(String ip, int port, Behavior behavior) {
    this.ip = ip;
    this.behavior = behavior;
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(ip, port))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
            calls.incrementAndGet();
            switch (Backend.this.behavior) {
              case OK -> {
                response.onNext(SimpleResponse.newBuilder().setResponseMessage(ip).build());
                response.onCompleted();
              }
              case UNAVAILABLE -> response.onError(
                  Status.UNAVAILABLE.withDescription("backend " + ip + " fails").asException());
              case HANG -> { } // never answers: the client's deadline must end the call
            }
          }
        })
        .build();
  }

  /** Starts a backend on {@code ip:port}; port 0 picks a free one. */
  static Backend start(String ip, int port, Behavior behavior) {
    Backend b = new Backend(ip, port, behavior);
    try {
      b.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + ip + ":" + port, e);
    }
    return b;
  }

  String ip() {
    return ip;
  }

  int port() {
    return server.getPort();
  }

  int calls() {
    return calls.get();
  }

  void behave(Behavior b) {
    this.behavior = b;
  }

  /** Stops taking new calls and lets calls in flight finish, as a pod's preStop would. */
  void shutdownGracefully() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
