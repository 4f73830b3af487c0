package io.inboard.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One workload on its own loopback IP serving both protocols: a gRPC {@code SimpleService} and a
 * JDK HTTP server. Both answer with the pod's IP, follow the same script (fail, answer late) and
 * count the calls they receive, retries included.
 */
final class Pod implements AutoCloseable {

  /** How a scripted pod fails: the same failure in each protocol's terms. */
  enum Failure {
    /** gRPC {@code UNAVAILABLE}, HTTP 503. */
    UNAVAILABLE(Status.UNAVAILABLE, 503),
    /** gRPC {@code INTERNAL}, HTTP 500. */
    INTERNAL(Status.INTERNAL, 500);

    final Status grpc;
    final int http;

    Failure(Status grpc, int http) {
      this.grpc = grpc;
      this.http = http;
    }
  }

  final String ip;
  private final Server grpc;
  private final HttpServer http;
  // a timer, not sleeping server threads: slow answers must not hold each other up
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;
  private volatile Failure failure;

  Pod(String ip, int grpcPort, int httpPort) throws IOException {
    this.ip = ip;
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress(ip, grpcPort))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest r, StreamObserver<SimpleResponse> out) {
            answerGrpc(out);
          }

          @Override
          public void serverStreamingRpc(SimpleRequest r, StreamObserver<SimpleResponse> out) {
            answerGrpc(out);
          }
        }).build().start();
    http = HttpServer.create(new InetSocketAddress(ip, httpPort), 200);
    http.createContext("/", this::answerHttp);
    http.setExecutor(Executors.newCachedThreadPool());
    http.start();
  }

  int grpcPort() {
    return grpc.getPort();
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  /** Calls received over either protocol so far. */
  int calls() {
    return calls.get();
  }

  /** Answers every call after {@code d}. */
  Pod delay(Duration d) {
    delay = d;
    return this;
  }

  /** Fails every call with {@code f}; {@code null} answers normally. */
  Pod failWith(Failure f) {
    failure = f;
    return this;
  }

  /** Back to answering at once and successfully. */
  void reset() {
    delay = Duration.ZERO;
    failure = null;
  }

  private void answerGrpc(StreamObserver<SimpleResponse> out) {
    calls.incrementAndGet();
    Failure f = failure;
    later(() -> {
      if (f != null) {
        out.onError(f.grpc.asRuntimeException());
      } else {
        out.onNext(SimpleResponse.newBuilder().setResponseMessage(ip).build());
        out.onCompleted();
      }
    });
  }

  private void answerHttp(HttpExchange ex) {
    calls.incrementAndGet();
    Failure f = failure;
    later(() -> {
      try {
        ex.getRequestBody().readAllBytes();
        byte[] body = ip.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(f == null ? 200 : f.http, body.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      } catch (IOException e) {
        // the client gave up (a timeout); nothing to answer
      } finally {
        ex.close();
      }
    });
  }

  private void later(Runnable answer) {
    Duration d = delay;
    if (d.isZero()) {
      answer.run();
    } else {
      timer.schedule(answer, d.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    grpc.shutdownNow();
    http.stop(0);
    timer.shutdownNow();
  }
}
