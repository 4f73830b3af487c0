package io.inboard.e2e;

import io.grpc.Metadata;
import io.grpc.Status;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.time.Duration;

/**
 * One workload on its own loopback IP serving both protocols, made of the test kit's two
 * backends: a gRPC {@code SimpleService} and an HTTP server. Both answer with the pod's IP, follow
 * the same script (fail, answer late) and count the calls they receive, retries included.
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
  private final GrpcBackendExtension grpc;
  private final HttpBackendExtension http;

  Pod(String ip, int grpcPort, int httpPort) {
    this.ip = ip;
    grpc = GrpcBackendExtension.on(ip).port(grpcPort).build().start();
    http = HttpBackendExtension.on(ip).port(httpPort).build().start();
  }

  int grpcPort() {
    return grpc.port();
  }

  int httpPort() {
    return http.port();
  }

  /** Calls received over either protocol so far. */
  int calls() {
    return grpc.calls() + http.calls();
  }

  /** Answers every call after {@code d}. */
  Pod delay(Duration d) {
    grpc.delay(d);
    http.delay(d);
    return this;
  }

  /** Fails every call with {@code f}; {@code null} answers normally. */
  Pod failWith(Failure f) {
    if (f == null) {
      grpc.failWith(null);
      http.failPercent(0);
    } else {
      grpc.failWith(f.grpc);
      http.failureStatus(f.http).failPercent(100);
    }
    return this;
  }

  /** Sends {@code name: value} in the response headers of every call, over both protocols. */
  Pod responseHeader(String name, String value) {
    grpc.responseHeader(name, value);
    http.responseHeader(name, value);
    return this;
  }

  /**
   * The value of request header {@code name} in the last call this pod received over {@code
   * kind}'s protocol, or {@code null}.
   */
  String lastRequestHeader(DataPlane.Kind kind, String name) {
    if (kind == DataPlane.Kind.GRPC) {
      return grpc.lastHeaders().map(h -> h.get(
          Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))).orElse(null);
    }
    return http.lastRequest().flatMap(r -> r.header(name)).orElse(null);
  }

  /** Back to answering at once and successfully, without extra headers; the counts are kept. */
  void reset() {
    delay(Duration.ZERO);
    failWith(null);
    grpc.clearResponseHeaders();
    http.clearResponseHeaders();
  }

  @Override
  public void close() {
    grpc.close();
    http.close();
  }
}
