package io.inboard.mesh.controlplane;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A workload's gRPC server on its own loopback IP that can be told to answer slowly or with an
 * error, and counts the calls it receives (retries included). Answers carry its IP.
 */
final class ScriptedBackend implements AutoCloseable {
  private final String ip;
  private final Server server;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;
  private volatile Status failure;

  private ScriptedBackend(String ip, int port) throws IOException {
    this.ip = ip;
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(ip, port))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
            answer(response);
          }

          @Override
          public void serverStreamingRpc(SimpleRequest request,
              StreamObserver<SimpleResponse> response) {
            answer(response);
          }
        })
        .build().start();
  }

  /** Starts a backend on {@code ip:port}; port 0 picks a free one. */
  static ScriptedBackend start(String ip, int port) throws IOException {
    return new ScriptedBackend(ip, port);
  }

  private void answer(StreamObserver<SimpleResponse> response) {
    calls.incrementAndGet();
    Status f = failure;
    Runnable reply = () -> {
      if (f != null) {
        response.onError(f.asRuntimeException());
      } else {
        response.onNext(SimpleResponse.newBuilder().setResponseMessage(ip).build());
        response.onCompleted();
      }
    };
    Duration d = delay;
    if (d.isZero()) {
      reply.run();
    } else {
      // a timer, not a sleeping server thread: slow calls must not hold each other up
      timer.schedule(reply, d.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Answers every call after {@code d} (default: at once). */
  ScriptedBackend delay(Duration d) {
    this.delay = d;
    return this;
  }

  /** Fails every call with {@code status}; {@code null} answers normally (the default). */
  ScriptedBackend failWith(Status status) {
    this.failure = status;
    return this;
  }

  /** Calls received so far, each retry attempt counted. */
  int calls() {
    return calls.get();
  }

  String ip() {
    return ip;
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    timer.shutdownNow();
  }
}
