package io.inboard.e2e.security;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.http.MeshHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The four kinds of caller the reachability matrix tries, each answering what the server said
 * ({@code mtls <id>} or {@code plain}) or {@code refused}: an Inboard gRPC client and an Inboard
 * HTTP client (one mesh with an identity), and a gRPC and an HTTP client outside the mesh
 * (plaintext, no certificate).
 */
final class Callers implements AutoCloseable {
  static final String REFUSED = "refused";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private final Mesh mesh;
  private final String service;
  private final String ip;
  private final int grpcPort;
  private final int httpPort;
  private final ManagedChannel meshChannel;
  private final MeshHttpClient meshHttp;
  private final ManagedChannel plainChannel;
  private final HttpClient plainHttp = HttpClient.newBuilder()
      .connectTimeout(CALL_TIMEOUT).build();

  Callers(Mesh mesh, String service, String ip, int grpcPort, int httpPort) {
    this.mesh = mesh;
    this.service = service;
    this.ip = ip;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    meshChannel = MeshChannels.forService(mesh, service + ":" + grpcPort).build();
    meshHttp = MeshHttpClient.of(mesh);
    plainChannel = Grpc.newChannelBuilderForAddress(ip, grpcPort,
        InsecureChannelCredentials.create()).build();
  }

  /** The callers' mesh (the Inboard clients'). */
  Mesh mesh() {
    return mesh;
  }

  String inboardGrpc() {
    return grpc(meshChannel);
  }

  String inboardHttp() {
    return http(meshHttp::send, "http://" + service + ":" + httpPort + "/");
  }

  String outsideGrpc() {
    return grpc(plainChannel);
  }

  String outsideHttp() {
    return http(plainHttp::send, "http://" + ip + ":" + httpPort + "/");
  }

  /** All four, in the matrix's column order. */
  String row() {
    return String.join(" | ", inboardGrpc(), inboardHttp(), outsideGrpc(), outsideHttp());
  }

  private static String grpc(ManagedChannel channel) {
    try {
      return SimpleServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
    } catch (StatusRuntimeException e) {
      return REFUSED;
    }
  }

  private interface Sender {
    HttpResponse<String> send(HttpRequest r, HttpResponse.BodyHandler<String> h)
        throws Exception;
  }

  private static String http(Sender sender, String url) {
    try {
      HttpResponse<String> r = sender.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : REFUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return REFUSED;
    } catch (Exception e) {
      return REFUSED;
    }
  }

  @Override
  public void close() {
    meshChannel.shutdownNow();
    plainChannel.shutdownNow();
    mesh.close();
  }
}
